#include "supervisor/worker_launcher.hpp"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

extern char** environ;

namespace rdpwarden::server::supervisor {
namespace {

constexpr int kChildClientFd = 3;
constexpr int kChildControlFd = 4;

// A descriptor of ours above the ones the child uses, so dup2 always clears close-on-exec.
int high_dup(int fd) {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (copy < 0) throw std::runtime_error(fmt::format("fcntl: {}", std::strerror(errno)));
  return copy;
}

struct FileActions {
  posix_spawn_file_actions_t actions;
  FileActions() { posix_spawn_file_actions_init(&actions); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::filesystem::path WorkerLauncher::self_executable() {
  return std::filesystem::read_symlink("/proc/self/exe");
}

LaunchedWorker WorkerLauncher::launch(int client_fd, const std::string& session_id) const {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw std::runtime_error(fmt::format("socketpair: {}", std::strerror(errno)));
  Fd parent_end{pair[0]};
  Fd child_end{pair[1]};
  Fd client_copy{high_dup(client_fd)};
  Fd control_copy{high_dup(child_end.fd)};

  FileActions fa;
  posix_spawn_file_actions_adddup2(&fa.actions, client_copy.fd, kChildClientFd);
  posix_spawn_file_actions_adddup2(&fa.actions, control_copy.fd, kChildControlFd);
  posix_spawn_file_actions_addclosefrom_np(&fa.actions, kChildControlFd + 1);

  const std::string exe = executable_.string();
  std::vector<std::string> args{exe,
                                "worker",
                                "--client-fd",
                                std::to_string(kChildClientFd),
                                "--control-fd",
                                std::to_string(kChildControlFd),
                                "--session",
                                session_id};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &fa.actions, nullptr, argv.data(), environ);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", exe, std::strerror(rc)));
  LaunchedWorker worker{pid, parent_end.fd};
  parent_end.fd = -1;
  return worker;
}

}  // namespace rdpwarden::server::supervisor
