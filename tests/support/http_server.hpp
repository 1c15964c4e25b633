#pragma once
// A static-file HTTP server on loopback for browser tests: python3's http.server serving
// `root` on 127.0.0.1 at a free port (retried when another test wins the port).
//
// Start: returns once this very process listens (checked in /proc); throws FixtureError with
// its log otherwise. Stop: the destructor stops it by PID.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

class StaticHttpServer {
 public:
  explicit StaticHttpServer(const std::filesystem::path& root,
                            std::chrono::milliseconds start_timeout = std::chrono::seconds(20));
  StaticHttpServer(const StaticHttpServer&) = delete;
  StaticHttpServer& operator=(const StaticHttpServer&) = delete;
  ~StaticHttpServer() = default;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>" + path (path starts with '/').
  std::string url(std::string_view path = "/") const;
  // The request log (one line per request).
  std::string log() const;

 private:
  TempDir dir_{"rdpwarden-http"};
  std::filesystem::path log_file_;
  std::uint16_t port_ = 0;
  Process server_;
};

}  // namespace rdpwarden::test
