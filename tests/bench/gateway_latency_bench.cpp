// The gateway's added input-to-screen latency and its CPU per session (tests/bench/RESULTS.md).
//
// A key press is injected into the real xfreerdp client's X display (XTest); a window on the
// target's desktop flips between black and white on each key; the bench polls one pixel of the
// client's display until it flips. The same target is measured through a direct connection and
// through the gateway, in alternating blocks (direct, gateway, direct, ...: a fresh client per
// block) so that the machine's load drifts over both alike; the difference is what the gateway
// adds. Then the gateway's worker CPU is read from /proc at idle and while typing, per thread.
//
// For a fair comparison both clients must decode the same codec: --client-arg goes to both
// xfreerdp clients (e.g. /gfx:avc420, or -gfx for bitmap updates), --gateway-codec forces what
// the gateway sends its client (auto, avc, planar, bitmap) and --target-codec what it asks the
// target for (gfx-avc, gfx, bitmap), so that the target encodes the same for both paths.
//
// --paired (needs --trace) runs a direct client and a gateway client at the same time on the
// same target and injects into each in turn: every flip then reaches both screens from the same
// capture of the target's screen, so the target's capture tick (freerdp-shadow-cli grabs the
// screen every 31-62 ms, at a phase no client controls) cancels out: the gateway's output cost is
// seen(gateway) - seen(direct) of the same flip, its input cost the key's arrival at the target's
// X server (flipper timestamp) through the gateway minus directly.
//
// --trace FILE (or RDPWARDEN_LATENCY_TRACE=FILE) has the flipper and the gateway's worker
// timestamp each stage of every flip into FILE, and the bench prints where the time goes
// (p50/p90 per stage, both paths) and whether the worker's sockets have TCP_NODELAY.
//
//   gateway_latency_bench [--events N] [--block N] [--cpu-seconds S] [--size WxH]
//                         [--client-arg ARG]... [--gateway-codec auto|avc|planar|bitmap]
//                         [--target-codec gfx-avc|gfx|bitmap] [--trace FILE] [--paired]
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway_latency_trace.hpp"
#include "gateway_process.hpp"
#include "support/rdp_client.hpp"
#include "support/shadow_target.hpp"

using namespace rdpwarden::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int events = 200;  // per path
  int block = 25;    // events per block before switching paths
  int cpu_seconds = 10;
  std::string gateway_codec = "auto";
  std::string target_codec = "gfx-avc";
  int width = 1280;
  int height = 800;
  std::vector<std::string> client_args;
  std::string trace;  // RDPWARDEN_LATENCY_TRACE file; empty: no per-stage breakdown
  bool paired = false;
};

long long monotonic_ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

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

// Lossy codecs paint black and white only approximately: classify, don't compare exactly.
bool is_light(unsigned long pixel) {
  const unsigned long sum = (pixel >> 16 & 0xff) + (pixel >> 8 & 0xff) + (pixel & 0xff);
  return sum >= 3 * 128;
}

bool is_flipper(unsigned long pixel) {
  const unsigned long sum = (pixel >> 16 & 0xff) + (pixel >> 8 & 0xff) + (pixel & 0xff);
  return sum <= 3 * 24 || sum >= 3 * 232;
}

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

// Injects `events` key presses and times each until the flip shows on the client's screen;
// appends the delays (ms) to `ms`. Returns the number of flips that never showed.
int measure_latency(XfreerdpClient& client, int events, std::mt19937& random,
                    std::vector<double>& ms, std::vector<TracedEvent>& traced) {
  ClientDisplay display(client.display().display());
  const int px = kFlipX + kFlipSize / 2;
  const int py = kFlipY + kFlipSize / 2;
  client.move_mouse(px, py);  // focus the session window; keys then go to the flipper
  // Wait until the flipper is on the client's screen (black or white).
  const auto ready_by = Clock::now() + 30s;
  while (Clock::now() < ready_by && !is_flipper(display.pixel(px, py)))
    std::this_thread::sleep_for(50ms);
  std::uniform_int_distribution<int> gap(30, 90);
  int timeouts = 0;
  for (int i = 0; i < events + 5; ++i) {
    const bool before = is_light(display.pixel(px, py));
    display.key(XK_space);
    const auto start = Clock::now();
    bool flipped = false;
    auto seen = start;
    while ((seen = Clock::now()) - start < 2s) {
      if (is_light(display.pixel(px, py)) != before) {
        flipped = true;
        break;
      }
      std::this_thread::sleep_for(200us);
    }
    const double elapsed = std::chrono::duration<double, std::milli>(seen - start).count();
    if (i >= 5) {  // the first flips warm caches and encoders up
      if (flipped) {
        ms.push_back(elapsed);
        traced.push_back({monotonic_ns(start), monotonic_ns(seen)});
      } else
        ++timeouts;
    }
    if (!flipped) std::this_thread::sleep_for(500ms);  // let a lost flip settle
    std::this_thread::sleep_for(std::chrono::milliseconds(gap(random)));
  }
  return timeouts;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// utime + stime (s) of a /proc stat file: the process's, or one thread's. `name` gets the comm.
double cpu_seconds(const std::string& stat_file, std::string* name = nullptr) {
  std::ifstream in(stat_file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return 0;
  if (name) *name = text.substr(open + 1, close - open - 1);
  std::istringstream rest(text.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;)
    fields.push_back(f);
  // Fields after the command: state is [0]; utime is field 14 overall, i.e. [11]; stime [12].
  const double ticks = std::stod(fields.at(11)) + std::stod(fields.at(12));
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double cpu_seconds(pid_t pid) {
  return cpu_seconds("/proc/" + std::to_string(pid) + "/stat");
}

// CPU seconds per thread ("name/tid") of a process.
std::map<std::string, double> thread_cpu(pid_t pid) {
  std::map<std::string, double> out;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(tasks, ec)) {
    std::string name;
    const double s = cpu_seconds((entry.path() / "stat").string(), &name);
    out[name + "/" + entry.path().filename().string()] = s;
  }
  return out;
}

void print_thread_cpu(const std::map<std::string, double>& before,
                      const std::map<std::string, double>& after, int seconds) {
  for (const auto& [thread, s] : after) {
    const auto it = before.find(thread);
    const double used = s - (it == before.end() ? 0.0 : it->second);
    if (used > 0) fmt::print("    {:<28} {:5.1f} % of a core\n", thread, 100.0 * used / seconds);
  }
}

void print_stats(const char* name, const Stats& s) {
  fmt::print(
      "{:<10} samples {:3} timeouts {:2}  p50 {:6.1f}  p90 {:6.1f}  p99 {:6.1f}  mean {:6.1f}  max "
      "{:6.1f} ms\n",
      name, s.samples, s.timeouts, s.p50, s.p90, s.p99, s.mean, s.max);
}

Options parse(int argc, char** argv) {
  Options o;
  if (const char* trace = std::getenv("RDPWARDEN_LATENCY_TRACE")) o.trace = trace;
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
    else if (a == "--block")
      o.block = std::max(1, std::stoi(next()));
    else if (a == "--gateway-codec")
      o.gateway_codec = next();
    else if (a == "--target-codec")
      o.target_codec = next();
    else if (a == "--trace")
      o.trace = next();
    else if (a == "--paired")
      o.paired = true;
    else
      throw std::runtime_error("unknown option " + a);
  }
  if (o.paired && o.trace.empty()) throw std::runtime_error("--paired needs --trace FILE");
  return o;
}

// One paired block (see --paired): `events` flips, injected alternately into each client.
void measure_paired(XfreerdpClient& direct, XfreerdpClient& via, int events, std::mt19937& random,
                    LatencyTrace& trace, std::map<std::string, std::vector<double>>& out) {
  ClientDisplay d(direct.display().display());
  ClientDisplay g(via.display().display());
  const int px = kFlipX + kFlipSize / 2;
  const int py = kFlipY + kFlipSize / 2;
  direct.move_mouse(px, py);
  via.move_mouse(px, py);
  const auto ready_by = Clock::now() + 30s;
  while (Clock::now() < ready_by && (!is_flipper(d.pixel(px, py)) || !is_flipper(g.pixel(px, py))))
    std::this_thread::sleep_for(50ms);
  std::uniform_int_distribution<int> gap(30, 90);
  struct Flip {
    bool through;
    long long injected, seen_direct, seen_gateway;
  };
  std::vector<Flip> flips;
  trace.clear();
  for (int i = 0; i < events + 5; ++i) {
    const bool through = i % 2 == 1;
    const bool before_d = is_light(d.pixel(px, py));
    const bool before_g = is_light(g.pixel(px, py));
    (through ? g : d).key(XK_space);
    const auto start = Clock::now();
    Clock::time_point seen_d{}, seen_g{};
    while ((seen_d == Clock::time_point{} || seen_g == Clock::time_point{}) &&
           Clock::now() - start < 2s) {
      if (seen_d == Clock::time_point{} && is_light(d.pixel(px, py)) != before_d)
        seen_d = Clock::now();
      if (seen_g == Clock::time_point{} && is_light(g.pixel(px, py)) != before_g)
        seen_g = Clock::now();
      std::this_thread::sleep_for(200us);
    }
    const bool both = seen_d != Clock::time_point{} && seen_g != Clock::time_point{};
    if (i >= 5 && both)
      flips.push_back({through, monotonic_ns(start), monotonic_ns(seen_d), monotonic_ns(seen_g)});
    if (!both) {
      out["timeouts"].push_back(1);
      std::this_thread::sleep_for(500ms);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(gap(random)));
  }
  const auto x_keys = trace.times("x-key");
  for (const auto& f : flips) {
    const auto seen = f.through ? f.seen_gateway : f.seen_direct;
    out[f.through ? "gateway: inject -> pixel seen" : "direct: inject -> pixel seen"].push_back(
        static_cast<double>(seen - f.injected) / 1e6);
    out["output added: seen(gateway) - seen(direct)"].push_back(
        static_cast<double>(f.seen_gateway - f.seen_direct) / 1e6);
    const auto it = std::lower_bound(x_keys.begin(), x_keys.end(), f.injected);
    if (it != x_keys.end() && *it <= std::min(f.seen_direct, f.seen_gateway))
      out[f.through ? "input via gateway: inject -> key at target X"
                    : "input direct: inject -> key at target X"]
          .push_back(static_cast<double>(*it - f.injected) / 1e6);
  }
}

void print_paired(const std::map<std::string, std::vector<double>>& out) {
  std::map<std::string, Stats> s;
  for (const auto& [name, ms] : out)
    s[name] = summarize(ms, 0);
  for (const auto& [name, st] : s)
    fmt::print("paired {:<46} n {:4}  p50 {:6.1f}  p90 {:6.1f}  p99 {:6.1f}  mean {:6.1f} ms\n",
               name, st.samples, st.p50, st.p90, st.p99, st.mean);
  const auto& in_g = s["input via gateway: inject -> key at target X"];
  const auto& in_d = s["input direct: inject -> key at target X"];
  const auto& output = s["output added: seen(gateway) - seen(direct)"];
  fmt::print("paired added (input p50 difference + output p50): {:+.1f} ms  (p90 {:+.1f} ms)\n",
             in_g.p50 - in_d.p50 + output.p50, in_g.p90 - in_d.p90 + output.p90);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto options = parse(argc, argv);
    // The worker reads this (front_output.cpp); it inherits the supervisor's environment.
    ::setenv("RDPWARDEN_BENCH_CLIENT_CODECS", options.gateway_codec.c_str(), 1);
    ::setenv("RDPWARDEN_BENCH_TARGET_CODECS", options.target_codec.c_str(), 1);
    // The flipper and the gateway's workers inherit it and timestamp their stages there.
    std::optional<LatencyTrace> trace;
    if (!options.trace.empty()) {
      trace.emplace(std::filesystem::absolute(options.trace).string());
      ::setenv("RDPWARDEN_LATENCY_TRACE", trace->path().c_str(), 1);
    }
    ShadowTarget target({.width = options.width, .height = options.height});
    RunOptions env;
    env.env = target.display().env();
    Process flipper(
        {FLIPPER_BINARY, std::to_string(kFlipX), std::to_string(kFlipY), std::to_string(kFlipSize)},
        env);
    std::this_thread::sleep_for(500ms);
    GatewayProcess gateway({.log_level = "info"});
    gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "x");
    gateway.start();

    const XfreerdpOptions direct_options{.port = target.port(),
                                         .username = target.username(),
                                         .password = target.password(),
                                         .width = options.width,
                                         .height = options.height,
                                         .extra_args = options.client_args};
    XfreerdpOptions via = direct_options;
    via.port = gateway.port();
    via.username = "ops1#srv01";
    via.password = "Gw-pass-1";

    fmt::print("load average at start: {}\n", load_average());
    std::mt19937 random(7);
    if (options.paired) {
      std::map<std::string, std::vector<double>> paired;
      for (int done = 0; done < options.events; done += options.block) {
        XfreerdpClient direct(direct_options);
        XfreerdpClient client(via);
        direct.require_connected();
        client.require_connected();
        std::this_thread::sleep_for(2s);
        measure_paired(direct, client, std::min(options.block, options.events - done), random,
                       *trace, paired);
        fmt::print("paired block of {} done (load {})\n", options.block, load_average());
        std::fflush(stdout);
      }
      print_paired(paired);
      fmt::print("load average at the end: {}\n", load_average());
      return 0;
    }
    std::vector<double> direct_ms, gateway_ms;
    int direct_timeouts = 0, gateway_timeouts = 0;
    for (int block = 0;
         static_cast<int>(std::min(direct_ms.size(), gateway_ms.size())) < options.events;
         ++block) {
      for (const bool through : {false, true}) {
        auto& ms = through ? gateway_ms : direct_ms;
        const int want = std::min(options.block, options.events - static_cast<int>(ms.size()));
        if (want <= 0) continue;
        XfreerdpClient client(through ? via : direct_options);
        client.require_connected();
        std::this_thread::sleep_for(2s);
        std::vector<double> got;
        std::vector<TracedEvent> traced;
        if (trace) trace->clear();
        const int lost = measure_latency(client, want, random, got, traced);
        if (trace) trace->collect(traced, through);
        (through ? gateway_timeouts : direct_timeouts) += lost;
        const auto s = summarize(got, lost);
        fmt::print("block {:2} {:<8} p50 {:6.1f} ms  p99 {:6.1f} ms  ({} events, load {})\n", block,
                   through ? "gateway" : "direct", s.p50, s.p99, s.samples, load_average());
        std::fflush(stdout);
        ms.insert(ms.end(), got.begin(), got.end());
      }
    }
    const auto direct = summarize(direct_ms, direct_timeouts);
    const auto through = summarize(gateway_ms, gateway_timeouts);
    print_stats("direct", direct);
    print_stats("gateway", through);
    fmt::print("added      p50 {:+.1f} ms  p90 {:+.1f} ms  p99 {:+.1f} ms  mean {:+.1f} ms\n",
               through.p50 - direct.p50, through.p90 - direct.p90, through.p99 - direct.p99,
               through.mean - direct.mean);
    fmt::print("load average at the end: {}\n", load_average());
    if (trace) trace->print();
    // What the gateway's workers say about their sessions: the codec toward the client and the
    // relay's own delay (target paint -> handed to the client's connection), per block.
    const auto log = gateway.log();
    for (const char* what : {"frames to the client ("}) {
      for (auto at = log.find(what); at != std::string::npos; at = log.find(what, at + 1))
        fmt::print("gateway: {}\n", log.substr(at, log.find('\n', at) - at));
    }

    // The worker's CPU, on a session of its own.
    XfreerdpClient client(via);
    client.require_connected();
    std::this_thread::sleep_for(3s);
    nlohmann::json session;
    for (const auto& s : gateway.sessions())
      if (s.value("state", "") == "active") session = s;
    if (session.is_null()) throw std::runtime_error("no live session to measure CPU on");
    const pid_t worker = session["pid"].get<int>();
    const auto idle_threads0 = thread_cpu(worker);
    const double idle0 = cpu_seconds(worker);
    std::this_thread::sleep_for(std::chrono::seconds(options.cpu_seconds));
    const double idle = cpu_seconds(worker) - idle0;
    const auto idle_threads = thread_cpu(worker);
    // Typing: ~10 keys/s into the target's xterm (the flipper gives up the focus).
    run({"xdotool", "search", "--class", "xterm", "windowfocus"}, env);
    ClientDisplay display(client.display().display());
    const auto typing_threads0 = thread_cpu(worker);
    const double typing0 = cpu_seconds(worker);
    const auto until = Clock::now() + std::chrono::seconds(options.cpu_seconds);
    int keys = 0;
    while (Clock::now() < until) {
      display.key(++keys % 40 == 0 ? XK_Return : XK_a + keys % 26);
      std::this_thread::sleep_for(100ms);
    }
    const double typing = cpu_seconds(worker) - typing0;
    const auto typing_threads = thread_cpu(worker);
    fmt::print("worker CPU idle   {:.3f} s over {} s = {:.1f} % of a core\n", idle,
               options.cpu_seconds, 100.0 * idle / options.cpu_seconds);
    print_thread_cpu(idle_threads0, idle_threads, options.cpu_seconds);
    fmt::print("worker CPU typing {:.3f} s over {} s = {:.1f} % of a core ({} keys)\n", typing,
               options.cpu_seconds, 100.0 * typing / options.cpu_seconds, keys);
    print_thread_cpu(typing_threads0, typing_threads, options.cpu_seconds);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gateway_latency_bench: %s\n", e.what());
    return 1;
  }
}
