#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <rdpwarden/server/app.hpp>

#include "cli/commands.hpp"
#include "util/log.hpp"
#include "version.hpp"

namespace rdpwarden::server {

int run_cli(int argc, char** argv) {
  cli::CliContext ctx;
  CLI::App app{"rdpwarden: a recording gateway for privileged RDP sessions", "rdpwarden"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.add_option("--config", ctx.config_file,
                 "TOML configuration file (default: embedded defaults)");
  app.add_option("--data-dir", ctx.data_dir, "Data directory (overrides the config's data_dir)");
  app.require_subcommand(1);
  app.fallthrough();

  cli::register_info_commands(app, ctx);
  cli::register_admin_commands(app, ctx);
  cli::register_recording_commands(app, ctx);
  cli::register_serve_commands(app, ctx);
  cli::register_session_commands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    auto extra = app.remaining();
    if (!extra.empty() && app.get_subcommands().empty()) {
      fmt::print(stderr, "rdpwarden: unknown command '{}'\nRun 'rdpwarden help' for usage.\n",
                 extra.front());
      return 2;
    }
    fmt::print(stderr, "rdpwarden: {}\nRun 'rdpwarden help' for usage.\n", e.what());
    return 2;
  }

  try {
    if (!ctx.action) {
      std::cout << app.help();
      return 2;
    }
    return ctx.action();
  } catch (const ConfigError& e) {
    fmt::print(stderr, "rdpwarden: config error: {}\n", e.what());
    return 2;
  } catch (const cli::UsageError& e) {
    fmt::print(stderr, "rdpwarden: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "rdpwarden: {}\n", e.what());
    return 1;
  }
}

}  // namespace rdpwarden::server
