#include "cli/admin_commands.hpp"

#include "cli/commands.hpp"

namespace rdpwarden::server::cli {

void register_admin_commands(CLI::App& app, CliContext& ctx) {
  register_user_commands(app, ctx);
  register_target_commands(app, ctx);
  register_account_commands(app, ctx);
  register_grant_commands(app, ctx);
  register_key_commands(app, ctx);
}

}  // namespace rdpwarden::server::cli
