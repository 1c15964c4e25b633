#include "support/process.hpp"
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <poll.h>
#include <pthread.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace rdpwarden::test {
namespace {

std::vector<std::string> merged_env(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> all;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) all[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : extra)
    all[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : all)
    out.push_back(k + "=" + v);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

volatile sig_atomic_t g_reaped_child = 0;

void forward_signal(int sig) {
  if (g_reaped_child > 0) kill(g_reaped_child, sig);
}

// Runs in the forked child (async-signal-safe calls only): becomes a subreaper, runs the
// program as its own child, forwards termination signals to it, exits with its code, and on
// the way out reaps the orphans the program left behind (Chromium's helpers), which would
// otherwise stay zombies of PID 1.
[[noreturn]] void exec_with_reaper(char* const* argv, char* const* envp) {
  // Entered with every signal blocked and default handlers.
  sigset_t none;
  sigemptyset(&none);
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  pid_t child = fork();
  if (child < 0) _exit(127);
  if (child == 0) {
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execvpe(argv[0], argv, envp);
    _exit(127);
  }
  g_reaped_child = child;
  struct sigaction sa {};
  sa.sa_handler = forward_signal;
  for (int sig : {SIGTERM, SIGINT, SIGHUP})
    sigaction(sig, &sa, nullptr);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // a signal that came early is forwarded now
  int code = 127;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(-1, &status, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    if (r == child) {
      code = decode_status(status);
      break;
    }
  }
  for (int i = 0; i < 40; ++i) {  // up to 2 s for the orphans to exit
    int status = 0;
    pid_t r = waitpid(-1, &status, WNOHANG);
    if (r < 0 && errno != EINTR) break;  // ECHILD: none left
    if (r == 0) {
      struct timespec ts {
        0, 50 * 1000 * 1000
      };
      nanosleep(&ts, nullptr);
    }
  }
  _exit(code);
}

// fork + exec with the given stdio fds; the child gets its own process group so that
// stopping it also stops what it started.
pid_t spawn(const std::vector<std::string>& argv, const RunOptions& options, int in_fd, int out_fd,
            int err_fd) {
  if (argv.empty()) throw std::invalid_argument("spawn: empty argv");
  auto env = merged_env(options.env);
  std::vector<char*> cargv;
  for (const auto& a : argv)
    cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (const auto& e : env)
    cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);

  // Signals stay blocked across fork until the child has reset every handler: otherwise a
  // SIGTERM arriving before exec would run the test process's own handlers (Catch2's
  // fatal-signal reporter) inside the child.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = fork();
  if (pid != 0) pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    for (int sig = 1; sig < NSIG; ++sig)
      signal(sig, SIG_DFL);
    setpgid(0, 0);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    for (int fd = 3; fd < 1024; ++fd) {
      bool keep = false;
      for (int k : options.inherit_fds)
        keep = keep || k == fd;
      if (keep)
        fcntl(fd, F_SETFD, 0);  // survive the exec even when opened O_CLOEXEC
      else
        close(fd);
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    if (options.reap_orphans) exec_with_reaper(cargv.data(), cenv.data());
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execvpe(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv, const RunOptions& options) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  pid_t pid = spawn(argv, options, in_pipe[0], out_pipe[1], err_pipe[1]);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);

  RunResult result;
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (options.stdin_text.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
    int n = poll(fds, in_fd >= 0 ? 3 : 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(r));
      } else {
        close(fds[i].fd);
        (i == 0 ? out_pipe[0] : err_pipe[0]) = -1;
        --open_fds;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w =
          write(in_fd, options.stdin_text.data() + written, options.stdin_text.size() - written);
      if (w > 0) written += static_cast<std::size_t>(w);
      if (w < 0 || written == options.stdin_text.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  if (out_pipe[0] >= 0) close(out_pipe[0]);
  if (err_pipe[0] >= 0) close(err_pipe[0]);
  if (timed_out) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = timed_out ? -1 : decode_status(status);
  return result;
}

Process::Process(const std::vector<std::string>& argv, const RunOptions& options,
                 const std::filesystem::path& log_file) {
  int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = log_file.empty()
                ? open("/dev/null", O_WRONLY | O_CLOEXEC)
                : open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (null_in < 0 || out < 0) throw std::runtime_error("cannot open stdio for " + argv.at(0));
  pid_ = spawn(argv, options, null_in, out, out);
  close(null_in);
  close(out);
}

Process::Process(Process&& other) noexcept : pid_(other.pid_), exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) stop();
    pid_ = other.pid_;
    exit_code_ = other.exit_code_;
    other.pid_ = -1;
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0) stop();
}

bool Process::running() {
  if (pid_ <= 0 || exit_code_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = decode_status(status);
    return false;
  }
  return r == 0;
}

std::optional<int> Process::wait_for_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return exit_code_;
  wait_until([this] { return !running(); }, timeout);
  return exit_code_;
}

int Process::stop(int signal, std::chrono::milliseconds grace) {
  if (pid_ <= 0) return exit_code_.value_or(-1);
  if (running()) {
    kill(pid_, signal);
    if (!wait_until([this] { return !running(); }, grace)) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      exit_code_ = decode_status(status);
    }
  }
  // Whatever the process group still holds (children of the stopped process) goes too.
  kill(-pid_, SIGKILL);
  pid_ = -1;
  return exit_code_.value_or(-1);
}

void Process::kill_hard() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = decode_status(status);
  kill(-pid_, SIGKILL);
  pid_ = -1;
}

std::string file_tail(const std::filesystem::path& file, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "(no log at " + file.string() + ")";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() <= max_bytes) return text;
  text.erase(0, text.size() - max_bytes);
  auto nl = text.find('\n');
  if (nl != std::string::npos && nl + 1 < text.size()) text.erase(0, nl + 1);
  return "..." + text;
}

std::filesystem::path rdpwarden_bin() {
  const char* p = std::getenv("RDPWARDEN_BIN");
  return p && *p ? p : RDPWARDEN_DEFAULT_BIN;
}

std::filesystem::path source_dir() {
  const char* p = std::getenv("RDPWARDEN_SOURCE_DIR");
  return p && *p ? p : RDPWARDEN_DEFAULT_SOURCE_DIR;
}

}  // namespace rdpwarden::test
