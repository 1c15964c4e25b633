#pragma once
// The session's clock: milliseconds since the session started, monotonic. The one time base for
// the recording's video, its events and the gateway's own timers. It starts when the worker
// starts and is restarted once, when the admin is admitted and the recording begins, so that
// the recording's timeline starts at 0.

#include <atomic>
#include <chrono>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::server::rdp {

class SessionClock {
 public:
  using steady = std::chrono::steady_clock;

  SessionClock() { restart(); }
  codec::SessionTime now() const {
    return std::chrono::duration_cast<codec::SessionTime>(steady::now() - start());
  }
  steady::time_point start() const { return steady::time_point(steady::duration(start_.load())); }
  // Wall-clock time of session time 0.
  std::chrono::system_clock::time_point wall_start() const {
    return std::chrono::system_clock::now() -
           std::chrono::duration_cast<std::chrono::system_clock::duration>(steady::now() - start());
  }
  void restart() { start_ = steady::now().time_since_epoch().count(); }

 private:
  std::atomic<steady::rep> start_{0};
};

}  // namespace rdpwarden::server::rdp
