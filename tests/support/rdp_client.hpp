#pragma once
// The real RDP client: FreeRDP's `xfreerdp` on its own private Xvfb, driven like a person would
// (keyboard and mouse through XTEST), watched through screenshots of its display.
//
//   XfreerdpClient client({.port = target.port(), .username = "u", .password = "p"});
//   REQUIRE(client.wait_connected());           // its session window is mapped
//   client.type_text("echo hello > /tmp/x"); client.press_keys("Return");
//   Image seen = client.screenshot();           // the session, 1:1 at (0,0)
//
// Start: the constructor starts Xvfb (the size of the session) and xfreerdp with /cert:ignore
// (no stdin prompt), under `stdbuf -oL -eL` so that log() is complete even after a kill.
// Waiting: wait_connected() = the "FreeRDP: host:port" window exists (the connection and
// security negotiation succeeded and the session was activated); wait_for_exit() for refusals.
// Stop: stop() or the destructor sends SIGTERM to xfreerdp, then stops Xvfb, all by PID.
//
// Exit codes (xfreerdp 2.11, XF_EXIT_*): 0 ok (also +auth-only success), 131 the server closed
// the connection, 133 security negotiation failed, 143 TLS connect failed (= 128+SIGTERM too!),
// 147 NLA/transport failed (e.g. wrong password against an NLA server). exit_code() reports
// 128+N for death by signal N.
//
// The password travels in xfreerdp's argv (/p:); FreeRDP masks it there after parsing, and test
// passwords are random per run. Never point this client at a real server.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/image.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/xvfb.hpp"

namespace rdpwarden::test {

struct XfreerdpOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3389;
  std::string username{};
  std::string password{};
  std::string domain{};
  std::string security{};  // "" (negotiate), "tls", "nla" or "rdp": passed as /sec:
  int width = 1280;
  int height = 800;
  bool auth_only = false;                 // +auth-only: negotiate and authenticate, then exit
  std::vector<std::string> extra_args{};  // e.g. "/gfx:avc420", "-gfx", "/bpp:16"
  std::chrono::milliseconds start_timeout{20000};
};

class XfreerdpClient {
 public:
  explicit XfreerdpClient(XfreerdpOptions options);
  XfreerdpClient(const XfreerdpClient&) = delete;
  XfreerdpClient& operator=(const XfreerdpClient&) = delete;
  ~XfreerdpClient();

  // True once the session window is mapped; false when xfreerdp exited first or on timeout.
  bool wait_connected(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));
  // Like wait_connected, but throws FixtureError with the client log's tail.
  void require_connected(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));

  // Keyboard and mouse go to the session window (focused first). Require a connection.
  void type_text(std::string_view text,
                 std::chrono::milliseconds delay = std::chrono::milliseconds(25));
  void press_keys(std::string_view keys);  // xdotool syntax: "Return", "ctrl+c"
  void click(int x, int y, int button = 1);
  void move_mouse(int x, int y);

  bool running() { return process_.running(); }
  // The exit code once it exited (128+N for signal N); nullopt while running or on timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  // SIGTERM (SIGKILL after a grace period); returns the exit code.
  int stop();

  std::string log() const;
  const std::filesystem::path& log_file() const { return log_file_; }
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

  // The client's whole display; the session occupies it 1:1 from (0,0).
  Image screenshot() const { return xvfb_->screenshot(); }
  const Xvfb& display() const { return *xvfb_; }
  const XfreerdpOptions& options() const { return options_; }

 private:
  std::vector<std::string> argv() const;
  void focus();

  XfreerdpOptions options_;
  TempDir dir_{"rdpwarden-client"};
  std::unique_ptr<Xvfb> xvfb_;
  std::filesystem::path log_file_;
  Process process_;
  std::string window_id_;
};

}  // namespace rdpwarden::test
