#pragma once
// The demo's RDP target: a private Xvfb desktop (an xterm and a clock) served by FreeRDP's
// shadow server on a free loopback port. Started by `rdpwarden demo`, stopped (by PID) when the
// demo ends.

#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rdpwarden::server::supervisor {

class DemoTarget {
 public:
  // Starts everything under `dir` (logs, the shadow server's certificate). Throws
  // std::runtime_error with the failing program's log tail.
  DemoTarget(const std::filesystem::path& dir, int width, int height);
  ~DemoTarget();
  DemoTarget(const DemoTarget&) = delete;
  DemoTarget& operator=(const DemoTarget&) = delete;

  std::uint16_t port() const { return port_; }
  const std::string& display() const { return display_; }

 private:
  pid_t spawn(const std::vector<std::string>& argv, const std::string& log_name);
  void stop_all() noexcept;

  std::filesystem::path dir_;
  std::string display_;
  std::uint16_t port_ = 0;
  std::vector<pid_t> children_;  // in start order; stopped in reverse
};

// A random password of `length` letters and digits (OpenSSL's RNG).
std::string random_password(std::size_t length);

}  // namespace rdpwarden::server::supervisor
