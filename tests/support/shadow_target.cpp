#include "support/shadow_target.hpp"
#include <fstream>

#include "support/fixture_error.hpp"
#include "support/free_port.hpp"
#include "support/random_text.hpp"
#include "support/x11_window.hpp"

namespace rdpwarden::test {
namespace {

constexpr int kPortAttempts = 4;
constexpr const char* kXtermTitle = "target-xterm";

}  // namespace

ShadowTarget::ShadowTarget(ShadowTargetOptions options)
    : options_(std::move(options)), marker_(random_text(8)) {
  if (options_.password.empty()) options_.password = random_text(16);
  std::filesystem::create_directories(work_dir());
  std::filesystem::create_directories(dir_ / "logs");
  xvfb_ =
      std::make_unique<Xvfb>(dir_ / "logs", XvfbOptions{.width = options_.width,
                                                        .height = options_.height,
                                                        .start_timeout = options_.start_timeout});
  start_xterm();
  auto args = auth_args();
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    if (try_start_server(args)) return;
    if (attempt == kPortAttempts || server_.running())
      throw FixtureError("freerdp-shadow-cli did not listen on 127.0.0.1:" + std::to_string(port_) +
                         " within " + std::to_string(options_.start_timeout.count()) + " ms:\n" +
                         file_tail(log_file_));
    // It died: most likely another test took the port between pick and bind. Try a new one.
  }
}

ShadowTarget::~ShadowTarget() = default;

void ShadowTarget::start_xterm() {
  RunOptions run_options;
  run_options.env = xvfb_->env();
  run_options.env["HOME"] = work_dir().string();
  run_options.env["PS1"] = marker_ + "$ ";
  run_options.cwd = work_dir();
  xterm_ = Process({"xterm", "-geometry", "100x30+50+50", "-T", kXtermTitle, "-e", "/bin/bash",
                    "--norc", "--noprofile", "-i"},
                   run_options, dir_ / "logs" / "xterm.log");
  if (!wait_for_window(xvfb_->display(), kXtermTitle, options_.start_timeout,
                       [this] { return xterm_.running(); }))
    throw FixtureError("xterm did not map its window on " + xvfb_->display() + ":\n" +
                       file_tail(dir_ / "logs" / "xterm.log"));
}

std::vector<std::string> ShadowTarget::auth_args() {
  if (options_.auth == ShadowAuth::kNone) return {"-auth"};
  // The SAM file holds the NT hash: "user:::<nthash>:::" as printed by winpr-hash.
  RunResult hash =
      run({"winpr-hash", "-u", options_.username, "-p", options_.password, "-f", "sam"});
  if (hash.exit_code != 0 || hash.out.find(options_.username + ":") != 0)
    throw FixtureError("winpr-hash failed: " + hash.err);
  auto sam = dir_ / "shadow.sam";
  std::ofstream(sam) << hash.out;
  return {"+auth", "/sec:nla", "/sam-file:" + sam.string()};
}

bool ShadowTarget::try_start_server(const std::vector<std::string>& auth) {
  server_ = Process();
  port_ = pick_free_tcp_port();
  log_file_ = dir_ / "logs" / ("shadow-" + std::to_string(port_) + ".log");
  RunOptions run_options;
  run_options.env = xvfb_->env();
  // The server writes its self-signed certificate under $XDG_CONFIG_HOME/freerdp/shadow/.
  run_options.env["XDG_CONFIG_HOME"] = (dir_ / "xdg").string();
  run_options.env["HOME"] = dir_.path().string();
  run_options.cwd = dir_.path();
  std::vector<std::string> argv = {"stdbuf",
                                   "-oL",
                                   "-eL",
                                   "freerdp-shadow-cli",
                                   "/port:" + std::to_string(port_),
                                   "/bind-address:127.0.0.1"};
  argv.insert(argv.end(), auth.begin(), auth.end());
  server_ = Process(argv, run_options, log_file_);
  return wait_for_listener(server_.pid(), port_, options_.start_timeout,
                           [this] { return server_.running(); });
}

std::string ShadowTarget::log() const {
  std::ifstream in(log_file_);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int ShadowTarget::connections_seen() const {
  std::string text = log();
  int n = 0;
  for (auto at = text.find("Client Security:"); at != std::string::npos;
       at = text.find("Client Security:", at + 1))
    ++n;
  return n;
}

bool ShadowTarget::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
  return wait_until([&] { return log().find(text) != std::string::npos; }, timeout);
}

}  // namespace rdpwarden::test
