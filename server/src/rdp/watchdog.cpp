#include "rdp/watchdog.hpp"
#include <pthread.h>
#include <sys/socket.h>

#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {
using namespace std::chrono_literals;
// After the session ended, how long the peer thread gets to say goodbye on its own.
constexpr auto kGoodbyeGrace = 700ms;
}  // namespace

Watchdog::Watchdog(Session& session, std::function<bool()> handshake_done, int client_fd)
    : session_(session), handshake_done_(std::move(handshake_done)), client_fd_(client_fd) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rdpw-watchdog");
    run();
  });
}

Watchdog::~Watchdog() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Watchdog::run() noexcept {
  try {
    const auto start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point ended_at{};
    bool shut = false;
    while (!stop_) {
      std::this_thread::sleep_for(50ms);
      const auto now = std::chrono::steady_clock::now();
      const auto& settings = session_.settings();
      if (!session_.ending()) {
        if (!handshake_done_() && now - start > settings.handshake_timeout) {
          log::info("the client did not finish connecting within {} s",
                    settings.handshake_timeout.count() / 1000);
          session_.end(SessionEnd::handshake_timeout, "handshake timeout");
        } else if (auto connecting = session_.target_connecting_for();
                   connecting && *connecting > settings.target_connect_timeout) {
          session_.end(SessionEnd::target_unreachable, "the target did not answer in time");
        }
        continue;
      }
      if (ended_at == std::chrono::steady_clock::time_point{}) ended_at = now;
      if (!shut && now - ended_at > kGoodbyeGrace) {
        // Unblocks a read stuck in a handshake; the peer thread then sees the error and returns.
        ::shutdown(client_fd_, SHUT_RDWR);
        shut = true;
      }
    }
  } catch (...) {
    // Logging failed; the session's own end handling still runs.
  }
}

}  // namespace rdpwarden::server::rdp
