#pragma once
// The auditor console's HTTPS server, hosted by `rdpwarden serve`: Boost.Beast over TLS on
// web.listen, serving web-static/ and the JSON API (docs/http-api.md). It runs on its own
// threads: kIoThreads socket threads (one strand per connection) and kWorkerThreads workers for
// handlers, which may block on the Backend (libpq) or the disk.
//
// Lifetime: construct, start() once, stop() once (the destructor stops too). `backend`, `live`
// and `metrics` must outlive the server. `live` is the running gateway's sessions (issue 7: live
// view and controls); nullptr when there is none (the live routes answer 503).

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <rdpwarden/server/config.hpp>

#include "app/live_sessions.hpp"
#include "util/metrics.hpp"
#include "web/backend.hpp"

namespace rdpwarden::server::web {

class WebApp;

class WebServer {
 public:
  static constexpr int kIoThreads = 2;
  static constexpr int kWorkerThreads = 4;

  WebServer(std::shared_ptr<const Config> config, Backend& backend,
            app::LiveSessions* live = nullptr,
            util::MetricsRegistry& metrics = util::process_metrics());
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Loads or creates the TLS identity, binds web.listen and starts serving. Throws
  // std::runtime_error with one line (e.g. "web.listen 127.0.0.1:8443: Address already in use").
  void start();
  // Stops accepting, lets requests in progress finish for up to `grace`, then closes the rest
  // and joins every thread. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // The bound port (differs from the config when it asked for port 0).
  std::uint16_t port() const;
  WebApp& app();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rdpwarden::server::web
