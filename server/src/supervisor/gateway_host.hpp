#pragma once
// Everything `rdpwarden serve` runs in one process: the database (embedded cluster or
// database.url), the supervisor (RDP listener, workers, admin socket) and the auditor console
// (web::WebServer on web.listen), sharing one connection pool and one metrics registry.
//
// Threads: run() blocks the calling thread with the supervisor's io loop until SIGINT/SIGTERM
// or stop(); the console runs on its own threads.

#include <cstdint>
#include <filesystem>
#include <memory>

#include <rdpwarden/server/config.hpp>

#include "app/database.hpp"

namespace rdpwarden::server::web {
class StorageBackend;
class WebServer;
}  // namespace rdpwarden::server::web

namespace rdpwarden::server::supervisor {

class Supervisor;
class StorageAccessService;
class LiveSessionsService;

class GatewayHost {
 public:
  // Opens the database (throws storage errors with one line). Nothing listens yet.
  explicit GatewayHost(std::shared_ptr<const Config> config);
  ~GatewayHost();
  GatewayHost(const GatewayHost&) = delete;
  GatewayHost& operator=(const GatewayHost&) = delete;

  // Binds rdp.listen, the admin socket and web.listen. Throws std::runtime_error.
  void start();
  // Serves until a stop signal; then ends every session and stops the console.
  void run();

  app::Database& database() { return *database_; }
  std::uint16_t rdp_port() const;
  std::uint16_t web_port() const;
  const std::string& rdp_fingerprint() const;

 private:
  std::shared_ptr<const Config> config_;
  std::unique_ptr<app::Database> database_;
  std::unique_ptr<StorageAccessService> access_;
  std::unique_ptr<Supervisor> supervisor_;
  std::unique_ptr<LiveSessionsService> live_;
  std::unique_ptr<web::StorageBackend> backend_;
  std::unique_ptr<web::WebServer> console_;
  bool console_started_ = false;
};

}  // namespace rdpwarden::server::supervisor
