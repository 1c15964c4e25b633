#include "support/x11_window.hpp"

#include "support/fixture_error.hpp"
#include "support/process.hpp"

namespace rdpwarden::test {
namespace {

RunResult xdotool(const std::string& display, std::vector<std::string> args,
                  const std::filesystem::path& xauthority = {}) {
  RunOptions options;
  options.env["DISPLAY"] = display;
  if (!xauthority.empty()) options.env["XAUTHORITY"] = xauthority.string();
  options.timeout = std::chrono::milliseconds(60000);
  args.insert(args.begin(), "xdotool");
  return run(args, options);
}

void xdotool_checked(const std::string& display, const std::vector<std::string>& args) {
  RunResult r = xdotool(display, args);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args)
      cmd += " " + a;
    throw FixtureError("xdotool" + cmd.substr(0, 80) + " on " + display + " failed (exit " +
                       std::to_string(r.exit_code) + "): " + r.err);
  }
}

}  // namespace

std::optional<std::string> find_window(const std::string& display, const std::string& title,
                                       const std::filesystem::path& xauthority) {
  RunResult r = xdotool(display, {"search", "--name", title}, xauthority);
  if (r.exit_code != 0) return std::nullopt;  // exit 1: no match
  auto end = r.out.find('\n');
  std::string id = r.out.substr(0, end);
  if (id.empty()) return std::nullopt;
  return id;
}

bool wait_for_window(const std::string& display, const std::string& title,
                     std::chrono::milliseconds timeout, const std::function<bool()>& alive,
                     const std::filesystem::path& xauthority) {
  bool dead = false;
  bool found = wait_until(
      [&] {
        if (!alive()) return dead = true;
        return find_window(display, title, xauthority).has_value();
      },
      timeout);
  return found && !dead;
}

void focus_window(const std::string& display, const std::string& window_id) {
  xdotool_checked(display, {"windowfocus", "--sync", window_id});
}

void type_text(const std::string& display, std::string_view text, std::chrono::milliseconds delay) {
  xdotool_checked(display,
                  {"type", "--delay", std::to_string(delay.count()), "--", std::string(text)});
}

void press_keys(const std::string& display, std::string_view keys) {
  xdotool_checked(display, {"key", "--delay", "40", "--", std::string(keys)});
}

void move_mouse(const std::string& display, int x, int y) {
  xdotool_checked(display, {"mousemove", std::to_string(x), std::to_string(y)});
}

void click_at(const std::string& display, int x, int y, int button) {
  move_mouse(display, x, y);
  xdotool_checked(display, {"click", std::to_string(button)});
}

}  // namespace rdpwarden::test
