#pragma once
// Finding windows and synthesising input on an X display with xdotool (XTEST, so the events
// look like a real keyboard and mouse to the application). Xvfb has no window manager: windows
// are focused with `windowfocus --sync`, never `windowactivate` (which needs _NET_ACTIVE_WINDOW).
// Every function throws FixtureError when xdotool fails.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rdpwarden::test {

// The first window whose title matches the regular expression `title` (xdotool --name).
// `xauthority`: the cookie file of a server that requires one (xrdp sessions).
std::optional<std::string> find_window(const std::string& display, const std::string& title,
                                       const std::filesystem::path& xauthority = {});

// Polls find_window until it finds one, `alive()` turns false, or the timeout passes.
bool wait_for_window(
    const std::string& display, const std::string& title, std::chrono::milliseconds timeout,
    const std::function<bool()>& alive = [] { return true; },
    const std::filesystem::path& xauthority = {});

void focus_window(const std::string& display, const std::string& window_id);
// Types `text` into the focused window, `delay` between keys (xdotool type --delay).
void type_text(const std::string& display, std::string_view text,
               std::chrono::milliseconds delay = std::chrono::milliseconds(25));
// Presses key combinations in xdotool syntax, e.g. "Return", "ctrl+c", "alt+F4".
void press_keys(const std::string& display, std::string_view keys);
void move_mouse(const std::string& display, int x, int y);
// Moves to (x, y) and clicks `button` (1 left, 2 middle, 3 right).
void click_at(const std::string& display, int x, int y, int button = 1);

}  // namespace rdpwarden::test
