#include "server/web/console_host.hpp"

#include <fmt/format.h>

#include "support/process.hpp"

namespace rdpwarden::test {

ConsoleHost::ConsoleHost(const std::function<void(server::Config&)>& tweak,
                         server::web::Backend* backend, server::app::LiveSessions* live)
    : config_(std::make_shared<server::Config>()) {
  config_->data_dir = dir_.path() / "data";
  config_->web.listen = {"127.0.0.1", 0};
  config_->web.static_dir = source_dir() / "web-static";
  config_->recording.dir = dir_.path() / "recordings";
  std::filesystem::create_directories(config_->recording.dir);
  if (tweak) tweak(*config_);
  server_ = std::make_unique<server::web::WebServer>(
      config_, backend ? *backend : static_cast<server::web::Backend&>(backend_), live, metrics_);
  server_->start();
}

ConsoleHost::~ConsoleHost() {
  server_->stop();
}

std::string ConsoleHost::base_url() const {
  return fmt::format("https://127.0.0.1:{}", server_->port());
}

}  // namespace rdpwarden::test
