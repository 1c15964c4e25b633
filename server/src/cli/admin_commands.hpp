#pragma once
// The administrator's verbs on the database: user, target, account, grant and key. They work
// against the same database whether or not `rdpwarden serve` runs (the embedded cluster is
// shared), and every change writes an audit_log row naming the OS user.

#include "cli/cli_context.hpp"

namespace CLI {
class App;
}

namespace rdpwarden::server::cli {

void register_user_commands(CLI::App& app, CliContext& ctx);
void register_target_commands(CLI::App& app, CliContext& ctx);
void register_account_commands(CLI::App& app, CliContext& ctx);
void register_grant_commands(CLI::App& app, CliContext& ctx);
void register_key_commands(CLI::App& app, CliContext& ctx);

}  // namespace rdpwarden::server::cli
