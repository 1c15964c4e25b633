#include "support/xvfb.hpp"
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "support/fixture_error.hpp"
#include "support/x11_capture.hpp"

namespace rdpwarden::test {
namespace {

// Reads the display number Xvfb writes to -displayfd once it accepts clients. Returns -1 when
// the pipe closes (Xvfb died) or the timeout passes.
int read_display_number(int fd, std::chrono::milliseconds timeout) {
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (text.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return -1;
    pollfd p{fd, POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    char buf[32];
    ssize_t r = read(fd, buf, sizeof buf);
    if (r <= 0) return -1;
    text.append(buf, static_cast<std::size_t>(r));
  }
  try {
    return std::stoi(text);
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

Xvfb::Xvfb(const std::filesystem::path& log_dir, XvfbOptions options) : options_(options) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw FixtureError("Xvfb: pipe failed");
  // The log file's name needs the display number, which is not known yet.
  auto pending_log = log_dir / ("xvfb-" + std::to_string(getpid()) + "-" + std::to_string(fds[0]) +
                                "-starting.log");
  RunOptions run_options;
  run_options.inherit_fds = {fds[1]};
  std::string screen = std::to_string(options.width) + "x" + std::to_string(options.height) + "x" +
                       std::to_string(options.depth);
  try {
    process_ = Process({"Xvfb", "-displayfd", std::to_string(fds[1]), "-screen", "0", screen,
                        "-nolisten", "tcp", "-noreset"},
                       run_options, pending_log);
  } catch (...) {
    close(fds[0]);
    close(fds[1]);
    throw;
  }
  close(fds[1]);
  number_ = read_display_number(fds[0], options.start_timeout);
  close(fds[0]);
  if (number_ < 0) {
    process_.stop();
    throw FixtureError("Xvfb did not start within " +
                       std::to_string(options.start_timeout.count()) + " ms:\n" +
                       file_tail(pending_log));
  }
  display_ = ":" + std::to_string(number_);
  log_file_ = log_dir / ("xvfb-" + std::to_string(number_) + ".log");
  std::error_code ec;
  std::filesystem::rename(pending_log, log_file_, ec);
  if (ec) log_file_ = pending_log;
}

Image Xvfb::screenshot() const {
  return capture_display(display_);
}

}  // namespace rdpwarden::test
