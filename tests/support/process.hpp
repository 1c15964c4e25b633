#pragma once
// Running and stopping real programs from tests: by PID, never by name. The test process is
// the parent of everything it starts and reaps it (PID 1 on CI machines does not reap).

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <time.h>
#include <vector>

namespace rdpwarden::test {

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string stdin_text;
  std::map<std::string, std::string> env;  // added to (or replacing in) the current environment
  std::filesystem::path cwd;
  std::chrono::milliseconds timeout{60000};
  // Descriptors the child keeps open at the same numbers (everything else >= 3 is closed),
  // e.g. the write end of a pipe for `Xvfb -displayfd <fd>`.
  std::vector<int> inherit_fds;
  // Run the program under a small reaper parent (a subreaper) that forwards SIGTERM/SIGINT to
  // it and reaps the orphans it leaves (e.g. Chromium's helpers) instead of leaving zombies
  // behind. pid() is then the reaper's PID; exit codes are the program's.
  bool reap_orphans = false;
};

// Runs argv[0] (searched in PATH) to completion, capturing stdout and stderr.
RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// A background process, stopped (SIGTERM, then SIGKILL after a grace period) and reaped when
// destroyed. Output goes to `log_file` (appended) when given, else to /dev/null.
class Process {
 public:
  Process() = default;
  Process(const std::vector<std::string>& argv, const RunOptions& options,
          const std::filesystem::path& log_file = {});
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  bool running();
  // Sends `signal` and waits up to `grace` for the exit; SIGKILL after that. Returns the exit code.
  int stop(int signal = 15, std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  void kill_hard();  // SIGKILL and reap
  // Waits for a natural exit; nullopt on timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// Polls `ready` every 50 ms until it returns true or `timeout` passes.
template <typename F>
bool wait_until(F ready, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (ready()) return true;
    struct timespec ts {
      0, 50 * 1000 * 1000
    };
    nanosleep(&ts, nullptr);
  }
  return ready();
}

// The last `max_bytes` of a log file (whole lines where possible), for error messages.
std::string file_tail(const std::filesystem::path& file, std::size_t max_bytes = 3000);

// The rdpwarden binary under test ($RDPWARDEN_BIN, set by ctest).
std::filesystem::path rdpwarden_bin();
// The source tree ($RDPWARDEN_SOURCE_DIR, set by ctest).
std::filesystem::path source_dir();

}  // namespace rdpwarden::test
