#pragma once
// A small local lab for the gateway's end-to-end tests: a private Xvfb, a shadow-server target
// with an xterm, the real xfreerdp client on its own display, screenshots compared by RMSE.
// (To be replaced by the shared fixtures in tests/support once they land.)

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

std::uint16_t free_tcp_port();
// Whether something accepts TCP connections on 127.0.0.1:port.
bool port_open(std::uint16_t port);
std::string read_text(const std::filesystem::path& file);

class LabDisplay {
 public:
  LabDisplay(const std::filesystem::path& dir, int width, int height);
  const std::string& display() const { return display_; }
  // The root window as a PNG file.
  std::filesystem::path screenshot(const std::filesystem::path& png) const;

 private:
  Process xvfb_;
  std::string display_;
};

// RMSE between two PNGs, 0..1 (ImageMagick `compare`); 1.0 when they cannot be compared.
double image_rmse(const std::filesystem::path& a, const std::filesystem::path& b);

class LabShadowTarget {
 public:
  explicit LabShadowTarget(int width = 1024, int height = 768);
  std::uint16_t port() const { return port_; }
  const std::filesystem::path& work_dir() const { return work_; }
  std::filesystem::path screenshot(const std::string& name) const;
  std::string log() const { return read_text(log_file_); }
  // How many clients the shadow server saw connect.
  int connections() const;
  const LabDisplay& display() const { return *display_; }

 private:
  TempDir dir_{"rdpw-e2e-shadow"};
  std::unique_ptr<LabDisplay> display_;
  std::filesystem::path work_;
  std::filesystem::path log_file_;
  Process xterm_;
  Process server_;
  std::uint16_t port_ = 0;
};

struct LabClientOptions {
  std::uint16_t port = 0;
  std::string username{};
  std::string password{};
  std::string domain{};
  int width = 1024;
  int height = 768;
  std::vector<std::string> extra_args{};
};

class LabClient {
 public:
  explicit LabClient(LabClientOptions options);
  ~LabClient();
  // The session window exists (the connection was activated); false if xfreerdp exited first.
  bool wait_connected(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  void type(const std::string& text);
  void key(const std::string& keys);
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  bool running() { return process_.running(); }
  int stop() { return process_.stop(); }
  std::filesystem::path screenshot(const std::string& name) const;
  std::string log() const { return read_text(log_file_); }

 private:
  void focus();
  LabClientOptions options_;
  TempDir dir_{"rdpw-e2e-client"};
  std::unique_ptr<LabDisplay> display_;
  std::filesystem::path log_file_;
  Process process_;
  std::string window_;
};

// Polls until the two screenshots match within max_rmse; returns the last RMSE seen.
double wait_for_screen_match(const LabClient& client, const LabShadowTarget& target,
                             double max_rmse, std::chrono::milliseconds timeout);

}  // namespace rdpwarden::test
