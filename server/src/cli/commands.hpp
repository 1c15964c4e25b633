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

}  // namespace rdpwarden::server::cli
