#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "version.hpp"

namespace rdpwarden::server::cli {

void register_info_commands(CLI::App& app, CliContext& ctx) {
  app.add_subcommand("version", "Print the version and exit")->callback([&ctx] {
    ctx.action = [] {
      fmt::print("rdpwarden {}\n", kVersion);
      return 0;
    };
  });

  auto* help = app.add_subcommand("help", "Show help for rdpwarden or for one command");
  auto topic = std::make_shared<std::vector<std::string>>();
  help->add_option("command", *topic, "The command to explain, e.g. `user add`");
  help->callback([&app, &ctx, topic] {
    ctx.action = [&app, topic] {
      const CLI::App* node = &app;
      for (const auto& name : *topic) {
        const CLI::App* next = nullptr;
        for (const auto* sub : node->get_subcommands([](const CLI::App*) { return true; })) {
          if (sub->get_name() == name) next = sub;
        }
        if (!next) throw UsageError(fmt::format("no command named '{}'", name));
        node = next;
      }
      std::cout << node->get_formatter()->make_help(node, node->get_name(),
                                                    CLI::AppFormatMode::Normal);
      return 0;
    };
  });

  auto* config = app.add_subcommand("config", "Inspect the configuration");
  config->require_subcommand(1);
  config->add_subcommand("show", "Print the effective configuration, every key with its value")
      ->callback([&ctx] {
        ctx.action = [&ctx] {
          std::cout << render_config(*ctx.config());
          return 0;
        };
      });
  config->add_subcommand("check", "Validate the configuration file and exit")->callback([&ctx] {
    ctx.action = [&ctx] {
      auto c = ctx.config();
      fmt::print("{}: ok\n", c->source_file.empty() ? "(defaults)" : c->source_file.string());
      return 0;
    };
  });
}

}  // namespace rdpwarden::server::cli
