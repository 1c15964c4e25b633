// The gateway's added input-to-screen latency and its CPU per session (tests/bench/RESULTS.md).
//
// A key press is injected into the real xfreerdp client's X display (XTest); a window on the
// target's desktop flips between black and white on each key; the bench polls one pixel of the
// client's display until it flips. The same target is measured through a direct connection and
// through the gateway; the difference is what the gateway adds. Then the gateway's worker CPU
// is read from /proc at idle and while typing.
//
//   gateway_latency_bench [--events N] [--cpu-seconds S] [--size WxH] [--client-arg ARG]...
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "gateway_process.hpp"
#include "support/rdp_client.hpp"
#include "support/shadow_target.hpp"

using namespace rdpwarden::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int events = 250;
  int cpu_seconds = 10;
  int width = 1280;
  int height = 800;
  std::vector<std::string> client_args;
};

constexpr int kFlipX = 900;
constexpr int kFlipY = 200;
constexpr int kFlipSize = 200;

class ClientDisplay {
 public:
  explicit ClientDisplay(const std::string& name) : dpy_(XOpenDisplay(name.c_str())) {
    if (!dpy_) throw std::runtime_error("cannot open " + name);
  }
  ~ClientDisplay() { XCloseDisplay(dpy_); }
  unsigned long pixel(int x, int y) {
    XImage* image = XGetImage(dpy_, DefaultRootWindow(dpy_), x, y, 1, 1, AllPlanes, ZPixmap);
    const unsigned long value = image ? XGetPixel(image, 0, 0) & 0xffffff : 0x123456;
    if (image) XDestroyImage(image);
    return value;
  }
  void key(KeySym sym) {
    const KeyCode code = XKeysymToKeycode(dpy_, sym);
    XTestFakeKeyEvent(dpy_, code, True, 0);
    XTestFakeKeyEvent(dpy_, code, False, 0);
    XFlush(dpy_);
  }
  void move(int x, int y) {
    XTestFakeMotionEvent(dpy_, -1, x, y, 0);
    XFlush(dpy_);
  }

 private:
  Display* dpy_;
};

struct Stats {
  double p50 = 0, p90 = 0, p99 = 0, mean = 0, max = 0;
  int samples = 0, timeouts = 0;
};

Stats summarize(std::vector<double> ms, int timeouts) {
  Stats s;
  s.samples = static_cast<int>(ms.size());
  s.timeouts = timeouts;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))];
  };
  s.p50 = at(0.50);
  s.p90 = at(0.90);
  s.p99 = at(0.99);
  s.max = ms.back();
  double sum = 0;
  for (double v : ms)
    sum += v;
  s.mean = sum / ms.size();
  return s;
}

// Injects `events` key presses and times each until the flip shows on the client's screen.
Stats measure_latency(XfreerdpClient& client, int events) {
  ClientDisplay display(client.display().display());
  const int px = kFlipX + kFlipSize / 2;
  const int py = kFlipY + kFlipSize / 2;
  client.move_mouse(px, py);  // focus the session window; keys then go to the flipper
  // Wait until the flipper is on the client's screen (black or white).
  const auto ready_by = Clock::now() + 30s;
  while (Clock::now() < ready_by) {
    const auto p = display.pixel(px, py);
    if (p == 0 || p == 0xffffff) break;
    std::this_thread::sleep_for(50ms);
  }
  std::mt19937 random(7);
  std::uniform_int_distribution<int> gap(30, 90);
  std::vector<double> ms;
  int timeouts = 0;
  for (int i = 0; i < events + 5; ++i) {
    const auto before = display.pixel(px, py);
    display.key(XK_space);
    const auto start = Clock::now();
    bool flipped = false;
    while (Clock::now() - start < 2s) {
      if (display.pixel(px, py) != before) {
        flipped = true;
        break;
      }
      std::this_thread::sleep_for(200us);
    }
    const double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (i >= 5) {  // the first flips warm caches and encoders up
      if (flipped)
        ms.push_back(elapsed);
      else
        ++timeouts;
    }
    if (!flipped) std::this_thread::sleep_for(500ms);  // let a lost flip settle
    std::this_thread::sleep_for(std::chrono::milliseconds(gap(random)));
  }
  return summarize(std::move(ms), timeouts);
}

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  std::istringstream rest(text.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;)
    fields.push_back(f);
  // Fields after the command: state is [0]; utime is field 14 overall, i.e. [11]; stime [12].
  const double ticks = std::stod(fields.at(11)) + std::stod(fields.at(12));
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void print_stats(const char* name, const Stats& s) {
  fmt::print(
      "{:<10} samples {:3} timeouts {:2}  p50 {:6.1f}  p90 {:6.1f}  p99 {:6.1f}  mean {:6.1f}  max "
      "{:6.1f} ms\n",
      name, s.samples, s.timeouts, s.p50, s.p90, s.p99, s.mean, s.max);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value for " + a);
      return argv[++i];
    };
    if (a == "--events")
      o.events = std::stoi(next());
    else if (a == "--cpu-seconds")
      o.cpu_seconds = std::stoi(next());
    else if (a == "--size")
      std::sscanf(next().c_str(), "%dx%d", &o.width, &o.height);
    else if (a == "--client-arg")
      o.client_args.push_back(next());
    else
      throw std::runtime_error("unknown option " + a);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto options = parse(argc, argv);
    ShadowTarget target({.width = options.width, .height = options.height});
    RunOptions env;
    env.env = target.display().env();
    Process flipper(
        {FLIPPER_BINARY, std::to_string(kFlipX), std::to_string(kFlipY), std::to_string(kFlipSize)},
        env);
    std::this_thread::sleep_for(500ms);

    XfreerdpOptions direct_options{.port = target.port(),
                                   .username = target.username(),
                                   .password = target.password(),
                                   .width = options.width,
                                   .height = options.height,
                                   .extra_args = options.client_args};
    Stats direct;
    {
      XfreerdpClient client(direct_options);
      client.require_connected();
      std::this_thread::sleep_for(2s);
      direct = measure_latency(client, options.events);
    }
    GatewayProcess gateway({.log_level = "warning"});
    gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "x");
    gateway.start();
    XfreerdpOptions via = direct_options;
    via.port = gateway.port();
    via.username = "ops1#srv01";
    via.password = "Gw-pass-1";
    XfreerdpClient client(via);
    client.require_connected();
    std::this_thread::sleep_for(2s);
    const auto through = measure_latency(client, options.events);

    print_stats("direct", direct);
    print_stats("gateway", through);
    fmt::print("added      p50 {:+.1f} ms  p90 {:+.1f} ms  p99 {:+.1f} ms  mean {:+.1f} ms\n",
               through.p50 - direct.p50, through.p90 - direct.p90, through.p99 - direct.p99,
               through.mean - direct.mean);

    const auto sessions = gateway.sessions();
    if (sessions.empty()) throw std::runtime_error("no live session to measure CPU on");
    const pid_t worker = sessions[0]["pid"].get<int>();
    const double idle0 = cpu_seconds(worker);
    std::this_thread::sleep_for(std::chrono::seconds(options.cpu_seconds));
    const double idle = cpu_seconds(worker) - idle0;
    // Typing: ~10 keys/s into the target's xterm (the flipper gives up the focus).
    run({"xdotool", "search", "--class", "xterm", "windowfocus"}, env);
    ClientDisplay display(client.display().display());
    const double typing0 = cpu_seconds(worker);
    const auto until = Clock::now() + std::chrono::seconds(options.cpu_seconds);
    int keys = 0;
    while (Clock::now() < until) {
      display.key(++keys % 40 == 0 ? XK_Return : XK_a + keys % 26);
      std::this_thread::sleep_for(100ms);
    }
    const double typing = cpu_seconds(worker) - typing0;
    fmt::print("worker CPU idle   {:.3f} s over {} s = {:.1f} % of a core\n", idle,
               options.cpu_seconds, 100.0 * idle / options.cpu_seconds);
    fmt::print("worker CPU typing {:.3f} s over {} s = {:.1f} % of a core ({} keys)\n", typing,
               options.cpu_seconds, 100.0 * typing / options.cpu_seconds, keys);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gateway_latency_bench: %s\n", e.what());
    return 1;
  }
}
