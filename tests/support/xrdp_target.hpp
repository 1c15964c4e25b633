#pragma once
// An RDP target: xrdp + xrdp-sesman (Debian's 0.9.21) started by hand with private config
// copies, logging in the local user `rdpw-test` (local_user.hpp) through PAM into an Xorg
// (xorgxrdp) session whose ~/startwm.sh runs an xterm with an interactive bash, prompt
// "<marker()>$ " (random per instance, so screens of different targets differ).
//
//   XrdpTarget target;
//   XfreerdpClient client({.port = target.port(), .username = target.username(),
//                          .password = target.password(), .security = "tls"});
//   client.require_connected();
//   auto display = target.wait_for_session(30s);   // ":2xx", the session's X server
//
// Isolation, so that several instances (and other engineers' tests) run in parallel:
// - xrdp always reads the sesman port from the compiled-in /etc/xrdp/sesman.ini. Both daemons
//   therefore run in a private mount namespace (unshare -m) where a copy of /etc/xrdp with our
//   ports, certificate and log paths is bind-mounted over /etc/xrdp, and a private directory
//   over /run/xrdp (pid files, session sockets). The session processes inherit the namespace.
// - Session display numbers come from a DisplayBlock (X11DisplayOffset = its first number).
// - Both ports are picked free, verified as this instance's listeners in /proc, retried when lost.
// Needs root (useradd, mount namespaces). Makes the test process a child subreaper
// (process_tree.hpp) so session processes orphaned during teardown are reaped here.
//
// Behaviour worth knowing (xrdp 0.9.21 with xfreerdp 2.11): use TLS (/sec:tls); /sec:rdp fails
// (MAC checksum error) and NLA is not offered. A wrong password does not disconnect: xrdp shows
// its own "login failed" dialog and the client stays connected (sesman logs
// "pam_authenticate failed"). KillDisconnected is on, so a session ends with its connection.
//
// Stop: the destructor kills each session's X server first (the session ends with it), then
// every remaining descendant of sesman/xrdp, then sesman and xrdp, all by PID, and reaps them.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "support/display_block.hpp"
#include "support/image.hpp"
#include "support/local_user.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

struct XrdpTargetOptions {
  std::string username = "rdpw-test";
  std::chrono::milliseconds start_timeout{30000};
};

class XrdpTarget {
 public:
  explicit XrdpTarget(XrdpTargetOptions options = {});
  XrdpTarget(const XrdpTarget&) = delete;
  XrdpTarget& operator=(const XrdpTarget&) = delete;
  ~XrdpTarget();

  std::string host() const { return "127.0.0.1"; }
  std::uint16_t port() const { return port_; }
  std::uint16_t sesman_port() const { return sesman_port_; }
  const std::string& username() const { return user_.name; }
  const std::string& password() const { return user_.password; }
  // Random text shown in the session's shell prompt.
  const std::string& marker() const { return marker_; }
  // A directory the session user may write (typed commands can leave files here).
  std::filesystem::path work_dir() const { return dir_ / "shared"; }

  // The X display (":N") of the first session sesman started, once its xterm is mapped;
  // nullopt when that did not happen within `timeout`.
  std::optional<std::string> wait_for_session(std::chrono::milliseconds timeout);
  // The session's screen; throws FixtureError when no session runs yet.
  Image screenshot();

  // TCP connections xrdp accepted ("connection received from" in its log).
  int connections_seen() const;
  std::string xrdp_log() const;
  std::string sesman_log() const;
  bool wait_for_sesman_log(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  void write_config();
  bool try_start();
  void stop_all();
  Process start_in_namespace(const std::vector<std::string>& command, const std::string& log_name);

  XrdpTargetOptions options_;
  std::string marker_;
  LocalUser user_;
  TempDir dir_{"rdpwarden-xrdp"};
  DisplayBlock displays_;
  std::uint16_t port_ = 0;
  std::uint16_t sesman_port_ = 0;
  Process sesman_;
  Process xrdp_;
  std::optional<std::string> session_display_;
};

}  // namespace rdpwarden::test
