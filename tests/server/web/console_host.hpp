#pragma once
// A real WebServer (TLS, Beast, worker pool) on a free loopback port, in this process, with a
// FakeBackend, for the socket-level and browser tests. Recordings live in `recordings()`.
// Stopped (gracefully) when destroyed.

#include <memory>
#include <string>

#include <rdpwarden/server/config.hpp>

#include "server/web/fake_backend.hpp"
#include "support/temp_dir.hpp"
#include "util/metrics.hpp"
#include "web/web_server.hpp"

namespace rdpwarden::test {

class ConsoleHost {
 public:
  // `tweak` may change the config before the server starts (timeouts, limits). `backend`, when
  // given, serves instead of the built-in FakeBackend (e.g. a StorageBackend). `live` is the
  // console's LiveSessions (none when nullptr).
  explicit ConsoleHost(const std::function<void(server::Config&)>& tweak = {},
                       server::web::Backend* backend = nullptr,
                       server::app::LiveSessions* live = nullptr);
  ~ConsoleHost();

  FakeBackend& backend() { return backend_; }
  std::uint16_t port() const { return server_->port(); }
  std::string base_url() const;
  std::filesystem::path recordings() const { return config_->recordings_dir(); }
  const server::Config& config() const { return *config_; }
  server::web::WebServer& server() { return *server_; }
  server::util::MetricsRegistry& metrics() { return metrics_; }

 private:
  TempDir dir_{"rdpwarden-console"};
  std::shared_ptr<server::Config> config_;
  FakeBackend backend_;
  server::util::MetricsRegistry metrics_;
  std::unique_ptr<server::web::WebServer> server_;
};

}  // namespace rdpwarden::test
