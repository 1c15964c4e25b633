#include "cluster/program.hpp"
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage::cluster {
namespace {

enum ChildStep : int { kChdir = 1, kSetgroups, kSetgid, kSetuid, kExec };

[[noreturn]] void child_failed(int report_fd, int step) {
  int report[2] = {step, errno};
  (void)!::write(report_fd, report, sizeof report);
  ::_exit(127);
}

// Everything here is async-signal-safe: the parent may have other threads.
[[noreturn]] void exec_child(const OsUser& user, char* const* argv, char* const* envp,
                             const char* cwd, int out_fd, int report_fd) {
  auto fail = [&](int step) { child_failed(report_fd, step); };
  sigset_t all;
  sigemptyset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD})
    ::signal(sig, SIG_DFL);
  int null_fd = ::open("/dev/null", O_RDONLY);
  ::dup2(null_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(out_fd, 2);
  // Nothing else is inherited (lock files, sockets): the postmaster outlives us.
  // The report pipe stays open until exec (it is close-on-exec) to carry a failure back.
  auto keep = static_cast<unsigned>(report_fd);
  if ((keep > 3 && ::syscall(SYS_close_range, 3U, keep - 1, 0U) != 0) ||
      ::syscall(SYS_close_range, keep + 1, ~0U, 0U) != 0) {
    for (int fd = 3; fd < 65536; ++fd)
      if (fd != report_fd) ::close(fd);
  }
  if (user.switch_to) {
    if (::setgroups(0, nullptr) != 0) fail(kSetgroups);
    if (::setgid(user.gid) != 0) fail(kSetgid);
    if (::setuid(user.uid) != 0) fail(kSetuid);
  }
  if (::chdir(cwd) != 0) fail(kChdir);
  ::execve(argv[0], argv, envp);
  child_failed(report_fd, kExec);
}

std::string describe_failure(int step, int err, const OsUser& user, const std::string& program,
                             const std::filesystem::path& cwd) {
  switch (step) {
    case kChdir:
      return fmt::format("{} cannot enter {}: {} (every parent directory must be searchable by {})",
                         user.name, cwd.string(), std::strerror(err), user.name);
    case kExec:
      return fmt::format("cannot run {}: {}", program, std::strerror(err));
    default:
      return fmt::format("cannot switch to user {}: {}", user.name, std::strerror(err));
  }
}

}  // namespace

ProgramResult run_program(const OsUser& user, const std::vector<std::string>& argv,
                          const std::filesystem::path& cwd, std::chrono::seconds timeout) {
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env{"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "LANG=C.UTF-8", "TZ=UTC"};
  std::vector<char*> envp;
  for (auto& e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string dir = cwd.string();

  int out[2], report[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(report, O_CLOEXEC) != 0)
    throw Unavailable(fmt::format("cannot run {}: pipe: {}", argv[0], std::strerror(errno)));
  pid_t pid = ::fork();
  if (pid < 0)
    throw Unavailable(fmt::format("cannot run {}: fork: {}", argv[0], std::strerror(errno)));
  if (pid == 0) exec_child(user, args.data(), envp.data(), dir.c_str(), out[1], report[1]);
  ::close(out[1]);
  ::close(report[1]);

  ProgramResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    char buf[4096];
    ssize_t r = ::read(out[0], buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    if (result.output.size() < 65536) result.output.append(buf, static_cast<std::size_t>(r));
  }
  ::close(out[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int child_report[2] = {0, 0};
  ssize_t got = ::read(report[0], child_report, sizeof child_report);
  ::close(report[0]);
  if (got == static_cast<ssize_t>(sizeof child_report))
    throw Unavailable(describe_failure(child_report[0], child_report[1], user, argv[0], cwd));
  if (timed_out)
    throw Unavailable(fmt::format("{} did not finish within {} s", argv[0], timeout.count()));
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace rdpwarden::storage::cluster
