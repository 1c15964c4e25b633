#include "lab.hpp"
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace rdpwarden::test {
namespace {
using namespace std::chrono_literals;

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

RunOptions on_display(const std::string& display) {
  RunOptions options;
  options.env = {{"DISPLAY", display}};
  return options;
}

}  // namespace

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::uint16_t free_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool port_open(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

LabDisplay::LabDisplay(const std::filesystem::path& dir, int width, int height) {
  const auto number_file = dir / "display.txt";
  // Another X server in a different mount namespace (the xrdp fixture's) can own the abstract
  // socket of a display number Xvfb thinks free; a display that clients cannot open is retried.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int fd = ::open(number_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::close(fd);
    // Xvfb picks a free display itself and writes its number into -displayfd; a shell opens
    // the file for it (our Process closes inherited descriptors).
    xvfb_ = Process({"sh", "-c",
                     "exec Xvfb -displayfd 5 -screen 0 " + std::to_string(width) + "x" +
                         std::to_string(height) + "x24 -nolisten tcp 5>" + number_file.string()},
                    {}, dir / "xvfb.log");
    if (!wait_until([&] { return !trim(read_text(number_file)).empty(); }, 20s))
      throw std::runtime_error("Xvfb did not start: " + read_text(dir / "xvfb.log"));
    display_ = ":" + trim(read_text(number_file));
    if (run({"xdpyinfo"}, on_display(display_)).exit_code == 0) return;
    xvfb_.stop();
  }
  throw std::runtime_error("no usable X display: " + read_text(dir / "xvfb.log"));
}

std::filesystem::path LabDisplay::screenshot(const std::filesystem::path& png) const {
  auto r =
      run({"sh", "-c",
           "xwd -root -silent -display " + display_ + " | convert xwd:- PNG24:" + png.string()});
  if (r.exit_code != 0) throw std::runtime_error("screenshot failed: " + r.err);
  return png;
}

double image_rmse(const std::filesystem::path& a, const std::filesystem::path& b) {
  auto r = run({"compare", "-metric", "RMSE", a.string(), b.string(), "null:"});
  std::smatch m;
  static const std::regex value(R"(\(([0-9.eE+-]+)\))");
  if (std::regex_search(r.err, m, value)) return std::stod(m[1]);
  return 1.0;
}

LabShadowTarget::LabShadowTarget(int width, int height) {
  display_ = std::make_unique<LabDisplay>(dir_.path(), width, height);
  work_ = dir_ / "home";
  std::filesystem::create_directories(work_);
  RunOptions env;
  env.env = {{"DISPLAY", display_->display()},
             {"HOME", work_.string()},
             {"PS1", "$ "},
             {"XDG_CONFIG_HOME", (dir_ / "xdg").string()}};
  env.cwd = work_;
  xterm_ = Process({"xterm", "-geometry", "90x30+0+0", "-fa", "Monospace", "-fs", "11", "-e",
                    "bash", "--norc", "--noprofile"},
                   env, dir_ / "xterm.log");
  log_file_ = dir_ / "shadow.log";
  for (int attempt = 0; attempt < 5 && !port_; ++attempt) {
    const auto port = free_tcp_port();
    server_ = Process(
        {"freerdp-shadow-cli", "/bind-address:127.0.0.1", "/port:" + std::to_string(port), "-auth"},
        env, log_file_);
    if (wait_until([&] { return port_open(port) || !server_.running(); }, 15s) && server_.running())
      port_ = port;
  }
  if (!port_) throw std::runtime_error("freerdp-shadow-cli did not start: " + log());
  std::this_thread::sleep_for(300ms);  // the xterm maps its window
}

std::filesystem::path LabShadowTarget::screenshot(const std::string& name) const {
  return display_->screenshot(dir_ / (name + ".png"));
}

int LabShadowTarget::connections() const {
  const auto text = log();
  int count = 0;
  for (std::size_t pos = 0; (pos = text.find("Client Security", pos)) != std::string::npos; ++pos)
    ++count;
  return count;
}

LabClient::LabClient(LabClientOptions options) : options_(std::move(options)) {
  display_ = std::make_unique<LabDisplay>(dir_.path(), options_.width, options_.height);
  log_file_ = dir_ / "xfreerdp.log";
  std::vector<std::string> argv{
      "stdbuf",
      "-oL",
      "-eL",
      "xfreerdp",
      "/v:127.0.0.1:" + std::to_string(options_.port),
      "/cert:ignore",
      "/log-level:INFO",
      "/size:" + std::to_string(options_.width) + "x" + std::to_string(options_.height)};
  if (!options_.username.empty()) argv.push_back("/u:" + options_.username);
  if (!options_.domain.empty()) argv.push_back("/d:" + options_.domain);
  if (!options_.password.empty()) argv.push_back("/p:" + options_.password);
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  RunOptions env;
  env.env = {{"DISPLAY", display_->display()},
             {"HOME", dir_.path().string()},
             {"XDG_CONFIG_HOME", (dir_ / "xdg").string()}};
  process_ = Process(argv, env, log_file_);
}

LabClient::~LabClient() {
  process_.stop();
}

bool LabClient::wait_connected(std::chrono::milliseconds timeout) {
  return wait_until(
             [&] {
               if (!process_.running()) return true;
               auto r = run({"xdotool", "search", "--name", "^FreeRDP: "},
                            on_display(display_->display()));
               window_ = trim(r.out);
               if (auto nl = window_.find('\n'); nl != std::string::npos)
                 window_ = window_.substr(0, nl);
               return !window_.empty();
             },
             timeout) &&
         !window_.empty() && process_.running();
}

void LabClient::focus() {
  run({"xdotool", "windowfocus", "--sync", window_}, on_display(display_->display()));
  run({"xdotool", "mousemove", "--window", window_, "300", "200"}, on_display(display_->display()));
}

void LabClient::type(const std::string& text) {
  focus();
  run({"xdotool", "type", "--delay", "30", text}, on_display(display_->display()));
}

void LabClient::key(const std::string& keys) {
  focus();
  run({"xdotool", "key", keys}, on_display(display_->display()));
}

std::optional<int> LabClient::wait_for_exit(std::chrono::milliseconds timeout) {
  return process_.wait_for_exit(timeout);
}

std::filesystem::path LabClient::screenshot(const std::string& name) const {
  return display_->screenshot(dir_ / (name + ".png"));
}

double wait_for_screen_match(const LabClient& client, const LabShadowTarget& target,
                             double max_rmse, std::chrono::milliseconds timeout) {
  double last = 1.0;
  wait_until(
      [&] {
        last = image_rmse(client.screenshot("client"), target.screenshot("target"));
        return last <= max_rmse;
      },
      timeout);
  return last;
}

}  // namespace rdpwarden::test
