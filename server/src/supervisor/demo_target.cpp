#include "supervisor/demo_target.hpp"
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/rand.h>

extern char** environ;

namespace rdpwarden::server::supervisor {
namespace {
using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("no free loopback port for the demo target");
  return ntohs(addr.sin_port);
}

bool accepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

bool alive(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == 0;
}

}  // namespace

std::string random_password(std::size_t length) {
  static constexpr char kAlphabet[] =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no look-alikes
  std::string out;
  while (out.size() < length) {
    unsigned char byte = 0;
    if (RAND_bytes(&byte, 1) != 1) throw std::runtime_error("no randomness for a password");
    if (byte < 256 - 256 % (sizeof(kAlphabet) - 1))
      out += kAlphabet[byte % (sizeof(kAlphabet) - 1)];
  }
  return out;
}

pid_t DemoTarget::spawn(const std::vector<std::string>& argv, const std::string& log_name) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  const auto log = (dir_ / log_name).string();
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  std::vector<std::string> env{"DISPLAY=" + display_, "HOME=" + dir_.string(),
                               "XDG_CONFIG_HOME=" + (dir_ / "xdg").string(), "PATH=/usr/bin:/bin"};
  std::vector<char*> cargv;
  std::vector<char*> cenv;
  for (const auto& a : argv)
    cargv.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : env)
    cenv.push_back(const_cast<char*>(e.c_str()));
  cargv.push_back(nullptr);
  cenv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, cargv[0], &fa, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0)
    throw std::runtime_error(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  children_.push_back(pid);
  return pid;
}

DemoTarget::DemoTarget(const std::filesystem::path& dir, int width, int height) : dir_(dir) {
  std::filesystem::create_directories(dir_);
  try {
    // Xvfb chooses a free display and reports it on -displayfd (here: a pipe).
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipe_fds[1], 5);
    posix_spawn_file_actions_addopen(&fa, 2, (dir_ / "xvfb.log").c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addclosefrom_np(&fa, 6);
    const std::string screen = fmt::format("{}x{}x24", width, height);
    const char* argv[] = {"Xvfb",         "-displayfd", "5",   "-screen", "0",
                          screen.c_str(), "-nolisten",  "tcp", nullptr};
    pid_t xvfb = -1;
    const int rc = ::posix_spawnp(&xvfb, "Xvfb", &fa, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(pipe_fds[1]);
    if (rc != 0) {
      ::close(pipe_fds[0]);
      throw std::runtime_error("cannot start Xvfb (install xvfb)");
    }
    children_.push_back(xvfb);
    char number[32] = {};
    const ssize_t n = ::read(pipe_fds[0], number, sizeof(number) - 1);
    ::close(pipe_fds[0]);
    if (n <= 0) throw std::runtime_error("Xvfb did not start: " + read_file(dir_ / "xvfb.log"));
    display_ = fmt::format(":{}", std::stoi(number));

    spawn({"xterm", "-geometry", "100x30+40+40", "-T", "rdpwarden demo"}, "xterm.log");
    spawn({"xclock", "-update", "1", "-geometry", "180x180-40+40"}, "xclock.log");
    for (int attempt = 0; attempt < 3 && !port_; ++attempt) {
      const auto port = free_loopback_port();
      const pid_t shadow = spawn(
          {"freerdp-shadow-cli", "/bind-address:127.0.0.1", fmt::format("/port:{}", port), "-auth"},
          "shadow.log");
      const auto until = std::chrono::steady_clock::now() + 15s;
      while (std::chrono::steady_clock::now() < until && alive(shadow) && !accepts(port))
        std::this_thread::sleep_for(100ms);
      if (alive(shadow) && accepts(port)) port_ = port;
    }
    if (!port_)
      throw std::runtime_error("the demo target did not start: " + read_file(dir_ / "shadow.log"));
  } catch (...) {
    stop_all();
    throw;
  }
}

DemoTarget::~DemoTarget() {
  stop_all();
}

void DemoTarget::stop_all() noexcept {
  for (auto it = children_.rbegin(); it != children_.rend(); ++it)
    ::kill(*it, SIGTERM);
  const auto until = std::chrono::steady_clock::now() + 3s;
  for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
    int status = 0;
    while (::waitpid(*it, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > until) {
        ::kill(*it, SIGKILL);
        ::waitpid(*it, &status, 0);
        break;
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  children_.clear();
}

}  // namespace rdpwarden::server::supervisor
