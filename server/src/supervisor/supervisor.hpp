#pragma once
// The gateway's long-lived process (`rdpwarden serve`): accepts RDP connections, starts one
// worker process per connection, answers the workers' requests from the AccessService, keeps
// the registry of live sessions, serves the admin socket, and notices workers that die.
//
// Everything runs on one io_context (io()) on the thread that calls run(); other components
// (the web console) can be added to the same io_context.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <rdpwarden/server/config.hpp>

#include "supervisor/access_service.hpp"
#include "supervisor/admin_socket.hpp"
#include "supervisor/session_registry.hpp"
#include "supervisor/tls_material.hpp"
#include "supervisor/worker_launcher.hpp"

namespace rdpwarden::server::supervisor {

class WorkerLink;

struct SupervisorOptions {
  std::shared_ptr<const Config> config;
  std::filesystem::path worker_executable = WorkerLauncher::self_executable();
  bool handle_signals = true;  // SIGINT/SIGTERM stop the supervisor
};

class Supervisor {
 public:
  Supervisor(SupervisorOptions options, AccessService& access);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Loads TLS material, binds rdp.listen and the admin socket. Throws std::runtime_error.
  void start();
  // Runs until stop(); then ends every session (gateway-shutdown) and waits for the workers.
  void run();
  // Thread-safe.
  void stop();

  std::uint16_t rdp_port() const { return rdp_port_; }
  boost::asio::io_context& io() { return io_; }
  SessionRegistry& registry() { return registry_; }
  const TlsMaterial& tls() const { return tls_; }

 private:
  void recover_previous_run();
  void accept_next();
  void on_accept(boost::asio::ip::tcp::socket socket);
  void start_worker(boost::asio::ip::tcp::socket socket, const std::string& client_address);
  void reap_children();
  void wait_for_sigchld();
  void shutdown_sessions();
  void wait_for_workers(int ticks_left);

  SupervisorOptions options_;
  AccessService& access_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set stop_signals_;
  boost::asio::signal_set child_signal_;
  boost::asio::steady_timer shutdown_timer_;
  WorkerLauncher launcher_;
  SessionRegistry registry_;
  std::unique_ptr<AdminSocket> admin_;
  TlsMaterial tls_;
  std::map<pid_t, std::shared_ptr<WorkerLink>> workers_;  // until the process is reaped
  std::uint16_t rdp_port_ = 0;
  bool stopping_ = false;
};

// A random RFC 4122 version 4 UUID, the session id.
std::string new_session_id();

}  // namespace rdpwarden::server::supervisor
