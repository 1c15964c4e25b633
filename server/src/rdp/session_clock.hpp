#pragma once
// The session's clock: milliseconds since the session started, monotonic. The one time base for
// the recording's video, its events and the gateway's own timers.

#include <chrono>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::server::rdp {

class SessionClock {
 public:
  SessionClock() : start_(std::chrono::steady_clock::now()) {}
  codec::SessionTime now() const {
    return std::chrono::duration_cast<codec::SessionTime>(std::chrono::steady_clock::now() -
                                                          start_);
  }
  std::chrono::steady_clock::time_point start() const { return start_; }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rdpwarden::server::rdp
