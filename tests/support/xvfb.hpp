#pragma once
// A private X display: Xvfb on the first free display number (chosen by Xvfb itself through
// -displayfd, so concurrent tests never collide), TCP listening off.
//
// Start: the constructor returns once the server accepts clients (it has written its display
// number); a server that exits or stays silent for `start_timeout` throws FixtureError with the
// tail of its log. Stop: the destructor sends SIGTERM to its PID (SIGKILL after a grace period)
// and reaps it; Xvfb removes its own lock file and socket.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "support/image.hpp"
#include "support/process.hpp"

namespace rdpwarden::test {

struct XvfbOptions {
  int width = 1280;
  int height = 800;
  int depth = 24;
  std::chrono::milliseconds start_timeout{20000};
};

class Xvfb {
 public:
  // Xvfb's output goes to `log_dir`/xvfb-<display>.log (the directory must exist).
  explicit Xvfb(const std::filesystem::path& log_dir, XvfbOptions options = {});
  Xvfb(const Xvfb&) = delete;
  Xvfb& operator=(const Xvfb&) = delete;
  ~Xvfb() = default;

  // ":N", for DISPLAY= and -display.
  const std::string& display() const { return display_; }
  int number() const { return number_; }
  int width() const { return options_.width; }
  int height() const { return options_.height; }
  pid_t pid() const { return process_.pid(); }
  const std::filesystem::path& log_file() const { return log_file_; }
  // {"DISPLAY": ":N"}, to merge into RunOptions::env of programs that draw on this display.
  std::map<std::string, std::string> env() const { return {{"DISPLAY", display_}}; }

  // The root window as RGB (see x11_capture.hpp).
  Image screenshot() const;

 private:
  XvfbOptions options_;
  std::filesystem::path log_file_;
  Process process_;
  int number_ = -1;
  std::string display_;
};

}  // namespace rdpwarden::test
