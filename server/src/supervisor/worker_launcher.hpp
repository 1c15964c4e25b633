#pragma once
// Starts a session worker: `<executable> worker --client-fd 3 --control-fd 4` with the accepted
// socket and one end of a control socketpair as fds 3 and 4, and nothing else inherited but
// stdin/stdout/stderr. No secret is on the command line or in the environment.

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace rdpwarden::server::supervisor {

struct LaunchedWorker {
  pid_t pid = -1;
  int control_fd = -1;  // the supervisor's end of the control socketpair (close-on-exec)
};

class WorkerLauncher {
 public:
  explicit WorkerLauncher(std::filesystem::path executable) : executable_(std::move(executable)) {}
  // Throws std::runtime_error when the worker cannot be started. `client_fd` stays open here
  // (the caller closes its copy).
  LaunchedWorker launch(int client_fd, const std::string& session_id) const;
  const std::filesystem::path& executable() const { return executable_; }

  // This process's own executable (/proc/self/exe), the default worker.
  static std::filesystem::path self_executable();

 private:
  std::filesystem::path executable_;
};

}  // namespace rdpwarden::server::supervisor
