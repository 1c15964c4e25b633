#pragma once
// The session's timers that must fire even while the peer thread is blocked inside FreeRDP (a
// TLS or NLA handshake reads in blocking mode): the handshake timeout, the target connect
// timeout, and the last resort after a session ended, shutting the client socket down so that
// no blocked read outlives the session by more than a second.

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "rdp/session.hpp"

namespace rdpwarden::server::rdp {

class Watchdog {
 public:
  // `handshake_done` is polled; `client_fd` is shut down (not closed) when needed.
  Watchdog(Session& session, std::function<bool()> handshake_done, int client_fd);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void run() noexcept;

  Session& session_;
  std::function<bool()> handshake_done_;
  int client_fd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace rdpwarden::server::rdp
