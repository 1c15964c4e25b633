#include "cli/cli_context.hpp"

namespace rdpwarden::server::cli {

std::shared_ptr<const Config> CliContext::config() {
  if (!config_) config_ = load_config(config_file, data_dir);
  return config_;
}

}  // namespace rdpwarden::server::cli
