#include "support/xrdp_target.hpp"
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

#include "support/fixture_error.hpp"
#include "support/free_port.hpp"
#include "support/process_tree.hpp"
#include "support/random_text.hpp"
#include "support/x11_capture.hpp"
#include "support/x11_window.hpp"

namespace rdpwarden::test {
namespace {

constexpr int kStartAttempts = 3;

// The session content, shared by every instance (one home directory per user), so it must not
// depend on the instance: an xterm with a plain interactive bash.
// /run/xrdp is the instance's private directory (see kNamespaceScript): the instance-specific
// prompt comes from there.
constexpr const char* kStartWm =
    "#!/bin/sh\n"
    "# written by rdpwarden's test fixtures (tests/support/xrdp_target.cpp)\n"
    "export PS1='$ '\n"
    "[ -r /run/xrdp/rdpwarden-session.env ] && . /run/xrdp/rdpwarden-session.env\n"
    "exec xterm -geometry 100x30+50+50 -T session-xterm -e /bin/bash --norc --noprofile -i\n";

// Runs the command with private copies bind-mounted over /etc/xrdp and /run/xrdp. `sh` and
// `unshare` exec, so the PID we hold is the daemon's own.
constexpr const char* kNamespaceScript =
    "mount --bind \"$0\" /etc/xrdp && mount --bind \"$1\" /run/xrdp && shift && exec \"$@\"";

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
  if (!out.flush()) throw FixtureError("cannot write " + file.string());
}

// Sets key=value in [section] of an ini text: replaces the key's first uncommented line in that
// section, or adds the line right after the section header.
std::string set_ini(const std::string& text, const std::string& section, const std::string& key,
                    const std::string& value) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  std::size_t header = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == "[" + section + "]") {
      header = i;
    } else if (header < lines.size() && !lines[i].empty() && lines[i][0] == '[') {
      break;  // the next section: the key is not in ours
    } else if (header < lines.size() && lines[i].rfind(key + "=", 0) == 0) {
      lines[i] = key + "=" + value;
      header = lines.size() + 1;  // done
      break;
    }
  }
  if (header == lines.size()) throw FixtureError("ini: no [" + section + "] for " + key);
  if (header < lines.size()) lines.insert(lines.begin() + long(header) + 1, key + "=" + value);
  std::string out;
  for (const auto& line : lines)
    out += line + "\n";
  return out;
}

}  // namespace

XrdpTarget::XrdpTarget(XrdpTargetOptions options)
    : options_(std::move(options)),
      marker_(random_text(8)),
      user_(ensure_local_user(options_.username)) {
  become_subreaper();
  install_user_file(user_, user_.home / "startwm.sh", kStartWm, std::filesystem::perms(0755));
  std::filesystem::create_directories(work_dir());
  if (chown(work_dir().c_str(), user_.uid, user_.gid) != 0)
    throw FixtureError("cannot chown " + work_dir().string());
  std::filesystem::create_directories(dir_ / "logs");
  std::filesystem::create_directories("/run/xrdp");  // the mount point in the root namespace
  RunResult cert = run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string(), "-days",
                        "2", "-subj", "/CN=localhost"});
  if (cert.exit_code != 0) throw FixtureError("openssl req failed: " + cert.err);
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    if (try_start()) return;
    std::string why = "xrdp/sesman did not listen on 127.0.0.1:" + std::to_string(port_) + "/" +
                      std::to_string(sesman_port_) + ":\nsesman:\n" +
                      file_tail(dir_ / "logs" / "sesman.out", 1500) +
                      file_tail(dir_ / "logs" / "sesman.log", 1500) + "\nxrdp:\n" +
                      file_tail(dir_ / "logs" / "xrdp.out", 1500) +
                      file_tail(dir_ / "logs" / "xrdp.log", 1500);
    stop_all();
    if (attempt == kStartAttempts) throw FixtureError(why);
  }
}

XrdpTarget::~XrdpTarget() {
  stop_all();
}

void XrdpTarget::write_config() {
  auto etc = dir_ / "etc";
  std::filesystem::remove_all(etc);
  std::filesystem::copy(
      "/etc/xrdp", etc,
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  auto logs = dir_ / "logs";
  std::string xrdp = read_text(etc / "xrdp.ini");
  xrdp = set_ini(xrdp, "Globals", "port", "tcp://127.0.0.1:" + std::to_string(port_));
  xrdp = set_ini(xrdp, "Globals", "certificate", (dir_ / "cert.pem").string());
  xrdp = set_ini(xrdp, "Globals", "key_file", (dir_ / "key.pem").string());
  xrdp = set_ini(xrdp, "Logging", "LogFile", (logs / "xrdp.log").string());
  xrdp = set_ini(xrdp, "Logging", "EnableSyslog", "false");
  write_text(etc / "xrdp.ini", xrdp);

  std::string sesman = read_text(etc / "sesman.ini");
  sesman = set_ini(sesman, "Globals", "ListenAddress", "127.0.0.1");
  sesman = set_ini(sesman, "Globals", "ListenPort", std::to_string(sesman_port_));
  sesman = set_ini(sesman, "Sessions", "X11DisplayOffset", std::to_string(displays_.first()));
  sesman = set_ini(sesman, "Sessions", "KillDisconnected", "true");
  sesman = set_ini(sesman, "Sessions", "DisconnectedTimeLimit", "0");
  sesman = set_ini(sesman, "Logging", "LogFile", (logs / "sesman.log").string());
  sesman = set_ini(sesman, "Logging", "EnableSyslog", "false");
  sesman = set_ini(sesman, "ChansrvLogging", "EnableSyslog", "false");
  write_text(etc / "sesman.ini", sesman);

  auto run_dir = dir_ / "run";
  std::filesystem::remove_all(run_dir);
  std::filesystem::create_directories(run_dir / "sockdir");
  // As xrdp's socksetup makes it: world-writable, sticky, setgid.
  std::filesystem::permissions(run_dir / "sockdir", std::filesystem::perms(03777));
  write_text(run_dir / "rdpwarden-session.env", "export PS1='" + marker_ + "$ '\n");
}

Process XrdpTarget::start_in_namespace(const std::vector<std::string>& command,
                                       const std::string& log_name) {
  std::vector<std::string> argv = {"unshare",
                                   "--mount",
                                   "--propagation",
                                   "private",
                                   "sh",
                                   "-c",
                                   kNamespaceScript,
                                   (dir_ / "etc").string(),
                                   (dir_ / "run").string()};
  argv.insert(argv.end(), command.begin(), command.end());
  RunOptions run_options;
  run_options.cwd = dir_.path();
  return Process(argv, run_options, dir_ / "logs" / log_name);
}

bool XrdpTarget::try_start() {
  port_ = pick_free_tcp_port();
  do {
    sesman_port_ = pick_free_tcp_port();
  } while (sesman_port_ == port_);
  write_config();
  auto etc = dir_ / "etc";
  sesman_ =
      start_in_namespace({"xrdp-sesman", "-n", "-c", (etc / "sesman.ini").string()}, "sesman.out");
  if (!wait_for_listener(sesman_.pid(), sesman_port_, options_.start_timeout,
                         [this] { return sesman_.running(); }))
    return false;
  xrdp_ = start_in_namespace({"xrdp", "-n", "-c", (etc / "xrdp.ini").string()}, "xrdp.out");
  return wait_for_listener(xrdp_.pid(), port_, options_.start_timeout,
                           [this] { return xrdp_.running(); });
}

void XrdpTarget::stop_all() {
  std::vector<pid_t> x_servers, others;
  for (pid_t root : {sesman_.pid(), xrdp_.pid()}) {
    if (root <= 0) continue;
    for (pid_t pid : descendants(root)) {
      std::string name = process_name(pid);
      (name == "Xorg" || name == "Xvnc" ? x_servers : others).push_back(pid);
    }
  }
  // Killing the X server ends the session: the window manager and chansrv exit and sesman's
  // session process reports the end. What remains after that is stopped directly.
  terminate_processes(x_servers);
  std::vector<pid_t> remaining;
  for (pid_t pid : others)
    if (process_alive(pid)) remaining.push_back(pid);
  terminate_processes(remaining);
  sesman_.stop();
  xrdp_.stop();
  session_display_.reset();
}

std::optional<std::string> XrdpTarget::wait_for_session(std::chrono::milliseconds timeout) {
  static const std::regex started(R"(Session started successfully for user \S+ on display (\d+))");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<std::string> display;
  wait_until(
      [&] {
        std::smatch m;
        std::string log = sesman_log();
        if (std::regex_search(log, m, started)) display = ":" + m[1].str();
        return display.has_value();
      },
      timeout);
  if (!display) return std::nullopt;
  // Ready for a person: the session's xterm is on the screen, not just the X server.
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (!wait_for_window(
          *display, "^session-xterm$", std::max(left, std::chrono::milliseconds(0)),
          [] { return true; }, user_.home / ".Xauthority"))
    return std::nullopt;
  session_display_ = display;
  return session_display_;
}

Image XrdpTarget::screenshot() {
  if (!session_display_ && !wait_for_session(std::chrono::milliseconds(0)))
    throw FixtureError("xrdp target has no session to take a screenshot of");
  return capture_display(*session_display_, std::chrono::milliseconds(20000),
                         user_.home / ".Xauthority");
}

int XrdpTarget::connections_seen() const {
  std::string text = xrdp_log();
  int n = 0;
  for (auto at = text.find("connection received from"); at != std::string::npos;
       at = text.find("connection received from", at + 1))
    ++n;
  return n;
}

std::string XrdpTarget::xrdp_log() const {
  return read_text(dir_ / "logs" / "xrdp.log");
}

std::string XrdpTarget::sesman_log() const {
  return read_text(dir_ / "logs" / "sesman.log");
}

bool XrdpTarget::wait_for_sesman_log(const std::string& text,
                                     std::chrono::milliseconds timeout) const {
  return wait_until([&] { return sesman_log().find(text) != std::string::npos; }, timeout);
}

}  // namespace rdpwarden::test
