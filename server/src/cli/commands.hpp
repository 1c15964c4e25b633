#pragma once
// Each group of CLI verbs registers itself on the application. A callback only records what
// to run in CliContext::action; the work happens after the whole command line has parsed.

#include "cli/cli_context.hpp"

namespace CLI {
class App;
}

namespace rdpwarden::server::cli {

void register_info_commands(CLI::App& app, CliContext& ctx);       // version, help, config show
void register_recording_commands(CLI::App& app, CliContext& ctx);  // export
void register_serve_commands(CLI::App& app, CliContext& ctx);      // serve, demo, (worker)
void register_session_commands(CLI::App& app, CliContext& ctx);    // session list|kill
void register_admin_commands(CLI::App& app, CliContext& ctx);  // user, target, account, grant, key

}  // namespace rdpwarden::server::cli
