#include "support/rdp_client.hpp"
#include <fstream>

#include "support/fixture_error.hpp"
#include "support/x11_window.hpp"

namespace rdpwarden::test {
namespace {

constexpr const char* kWindowTitle = "^FreeRDP: ";

}  // namespace

XfreerdpClient::XfreerdpClient(XfreerdpOptions options) : options_(std::move(options)) {
  xvfb_ = std::make_unique<Xvfb>(dir_.path(), XvfbOptions{.width = options_.width,
                                                          .height = options_.height,
                                                          .start_timeout = options_.start_timeout});
  log_file_ = dir_ / "xfreerdp.log";
  RunOptions run_options;
  run_options.env = xvfb_->env();
  // FreeRDP keeps known hosts and its own config under $HOME/.config/freerdp.
  run_options.env["HOME"] = dir_.path().string();
  run_options.env["XDG_CONFIG_HOME"] = (dir_ / "xdg").string();
  run_options.cwd = dir_.path();
  process_ = Process(argv(), run_options, log_file_);
}

XfreerdpClient::~XfreerdpClient() {
  stop();
}

std::vector<std::string> XfreerdpClient::argv() const {
  std::vector<std::string> a = {
      "stdbuf",
      "-oL",
      "-eL",
      "xfreerdp",
      "/v:" + options_.host + ":" + std::to_string(options_.port),
      "/cert:ignore",
      "/log-level:INFO",
      "/size:" + std::to_string(options_.width) + "x" + std::to_string(options_.height)};
  if (!options_.username.empty()) a.push_back("/u:" + options_.username);
  if (!options_.domain.empty()) a.push_back("/d:" + options_.domain);
  if (!options_.password.empty()) a.push_back("/p:" + options_.password);
  if (!options_.security.empty()) a.push_back("/sec:" + options_.security);
  if (options_.auth_only) a.push_back("+auth-only");
  a.insert(a.end(), options_.extra_args.begin(), options_.extra_args.end());
  return a;
}

bool XfreerdpClient::wait_connected(std::chrono::milliseconds timeout) {
  bool found = wait_for_window(xvfb_->display(), kWindowTitle, timeout,
                               [this] { return process_.running(); });
  if (!found) return false;
  window_id_ = find_window(xvfb_->display(), kWindowTitle).value_or("");
  return !window_id_.empty();
}

void XfreerdpClient::require_connected(std::chrono::milliseconds timeout) {
  if (wait_connected(timeout)) return;
  bool alive = process_.running();
  throw FixtureError(
      std::string("xfreerdp did not connect to ") + options_.host + ":" +
      std::to_string(options_.port) +
      (alive ? " (still running)" : " (exited with " + std::to_string(process_.stop()) + ")") +
      ":\n" + file_tail(log_file_));
}

void XfreerdpClient::focus() {
  if (window_id_.empty() && !wait_connected(std::chrono::milliseconds(0)))
    throw FixtureError("xfreerdp has no session window to send input to");
  focus_window(xvfb_->display(), window_id_);
}

void XfreerdpClient::type_text(std::string_view text, std::chrono::milliseconds delay) {
  focus();
  rdpwarden::test::type_text(xvfb_->display(), text, delay);
}

void XfreerdpClient::press_keys(std::string_view keys) {
  focus();
  rdpwarden::test::press_keys(xvfb_->display(), keys);
}

void XfreerdpClient::click(int x, int y, int button) {
  focus();
  click_at(xvfb_->display(), x, y, button);
}

void XfreerdpClient::move_mouse(int x, int y) {
  focus();
  rdpwarden::test::move_mouse(xvfb_->display(), x, y);
}

std::optional<int> XfreerdpClient::wait_for_exit(std::chrono::milliseconds timeout) {
  return process_.wait_for_exit(timeout);
}

int XfreerdpClient::stop() {
  return process_.stop();
}

std::string XfreerdpClient::log() const {
  std::ifstream in(log_file_);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool XfreerdpClient::wait_for_log(const std::string& text,
                                  std::chrono::milliseconds timeout) const {
  return wait_until([&] { return log().find(text) != std::string::npos; }, timeout);
}

}  // namespace rdpwarden::test
