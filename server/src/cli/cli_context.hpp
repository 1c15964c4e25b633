#pragma once
// What every CLI command shares: the global options and the lazily loaded configuration.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include <rdpwarden/server/config.hpp>

namespace rdpwarden::server::cli {

// Wrong use of the command line (unknown name, bad flag value): printed in one line, exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CliContext {
 public:
  std::optional<std::filesystem::path> config_file;
  std::optional<std::filesystem::path> data_dir;

  // Loads and validates the config on first use. Throws ConfigError.
  std::shared_ptr<const Config> config();

  // Set by the chosen subcommand's callback; run after parsing. Returns the exit code.
  std::function<int()> action;

 private:
  std::shared_ptr<const Config> config_;
};

}  // namespace rdpwarden::server::cli
