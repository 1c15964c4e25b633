#pragma once
// An RDP target: FreeRDP's shadow server (`freerdp-shadow-cli`) sharing a private Xvfb desktop
// on which an xterm runs an interactive bash (prompt "<marker()>$ ", working directory
// work_dir()). The random marker makes every instance's screen different, so a screenshot
// comparison also proves *which* target a client is looking at.
//
//   ShadowTarget target;                         // or ShadowTarget({.auth = ShadowAuth::kNla})
//   XfreerdpClient client({.port = target.port(), .username = target.username(), ...});
//   ... client.type_text("echo hi > " + (target.work_dir() / "x.txt").string());
//
// Start: the constructor starts Xvfb, the xterm (waits for its window) and the shadow server on
// a free loopback port, and returns once that very process listens there (checked in /proc, no
// probe connection). A lost race for the port is retried with a fresh port. Failure throws
// FixtureError with the shadow log's tail. Stop: the destructor stops the server, the xterm and
// Xvfb by PID (process groups) and removes the temp dir (RDPWARDEN_KEEP_TEMP=1 keeps it).
//
// Authentication modes:
//   kNone  `-auth`: any (or no) credentials are accepted; TLS or standard RDP security, no NLA.
//   kNla   `+auth /sec:nla /sam-file:`: only NLA (CredSSP/NTLM) with username()/password();
//          a wrong password makes xfreerdp exit with 147 before any session.
// Useful log lines (log()): "Client from 127.0.0.1 is activated", "Negotiated Security",
// "Gfx Pipeline Opened".

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "support/image.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/xvfb.hpp"

namespace rdpwarden::test {

enum class ShadowAuth { kNone, kNla };

struct ShadowTargetOptions {
  ShadowAuth auth = ShadowAuth::kNone;
  int width = 1280;
  int height = 800;
  std::string username = "rdpw-test";
  std::string password{};  // empty: a random one per instance
  std::chrono::milliseconds start_timeout{30000};
};

class ShadowTarget {
 public:
  explicit ShadowTarget(ShadowTargetOptions options = {});
  ShadowTarget(const ShadowTarget&) = delete;
  ShadowTarget& operator=(const ShadowTarget&) = delete;
  ~ShadowTarget();

  std::string host() const { return "127.0.0.1"; }
  std::uint16_t port() const { return port_; }
  const std::string& username() const { return options_.username; }
  const std::string& password() const { return options_.password; }
  // Random text shown in the shell prompt on this target's screen.
  const std::string& marker() const { return marker_; }
  const Xvfb& display() const { return *xvfb_; }
  // The xterm shell's working directory and $HOME; files the session writes land here.
  std::filesystem::path work_dir() const { return dir_ / "home"; }
  pid_t server_pid() const { return server_.pid(); }
  bool running() { return server_.running(); }

  Image screenshot() const { return xvfb_->screenshot(); }
  std::string log() const;
  const std::filesystem::path& log_file() const { return log_file_; }
  // RDP connections the server began to negotiate ("Client Security:" log lines) — 0 proves
  // that, e.g., a gateway denied a login without touching the target.
  int connections_seen() const;
  // Waits until the server log contains `text`; false on timeout.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  void start_xterm();
  bool try_start_server(const std::vector<std::string>& auth_args);
  std::vector<std::string> auth_args();

  ShadowTargetOptions options_;
  std::string marker_;
  TempDir dir_{"rdpwarden-shadow"};
  std::unique_ptr<Xvfb> xvfb_;
  Process xterm_;
  Process server_;
  std::uint16_t port_ = 0;
  std::filesystem::path log_file_;
};

}  // namespace rdpwarden::test
