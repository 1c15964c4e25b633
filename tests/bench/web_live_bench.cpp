// Live-view latency benchmark (issue 7): a real codec::Recorder encodes a synthetic desktop at
// --size, relayed through RecorderLiveSessions to the console over TLS (PostgreSQL behind it)
// and watched in headless Chromium. The desktop changes colour every --interval ms; the delay
// of a change is the time until Chromium presents the first frame in the new colour (both
// clocks are this machine's wall clock). Two phases: "busy" (a frame every 100 ms between
// changes, like typing) and "idle" (nothing between changes). Targets: p50 <= 300 ms,
// p95 <= 1 s on loopback.
//
// --gateway: the same measure through the real gateway instead: `rdpwarden serve` relays a real
// xfreerdp session to a freerdp-shadow-cli target; a window on the target's X desktop changes
// colour (X11, the wall time noted after XSync) and the auditor's browser watches the session
// in the gateway's own console — target screen → shadow → gateway worker (decode, recorder) →
// supervisor → console → WebSocket → WebCodecs canvas.
//
//   web_live_bench [--seconds 60] [--interval 700] [--size 1280x720] [--gateway]
// Prints a table and, last, one JSON line. See tests/bench/RESULTS.md, "Live view".

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway_process.hpp"
#include "server/web/console_host.hpp"
#include "server/web/live_latency.hpp"
#include "server/web/recorder_live_sessions.hpp"
#include "server/web/storage_world.hpp"
#include "support/browser_script.hpp"
#include "support/process.hpp"
#include "support/rdp_client.hpp"
#include "support/shadow_target.hpp"

// Last: Xlib defines macros (None, Status, True) that other headers must not see.
#include <X11/Xlib.h>

using namespace rdpwarden;
using nlohmann::json;

namespace {

constexpr const char* kId = "be4c0000-0000-4000-8000-00000000011e";

struct Options {
  int seconds = 60;  // per phase
  int interval_ms = 700;
  int width = 1280;
  int height = 720;
  bool gateway = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--gateway") {
      o.gateway = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument("missing value for " + k);
    std::string v = argv[i + 1];
    if (k == "--seconds")
      o.seconds = std::stoi(v);
    else if (k == "--interval")
      o.interval_ms = std::stoi(v);
    else if (k == "--size")
      std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height);
    else
      throw std::invalid_argument("unknown option " + k);
  }
  return o;
}

json phase_figures(const std::vector<std::int64_t>& delays) {
  auto missed = std::count(delays.begin(), delays.end(), -1);
  return {{"changes", delays.size()},
          {"missed", missed},
          {"p50_ms", test::percentile(delays, 50)},
          {"p95_ms", test::percentile(delays, 95)},
          {"max_ms", test::percentile(delays, 100)}};
}

constexpr std::uint32_t kColours[] = {0xc03030, 0x30a040, 0x3050c0, 0xd0c030, 0xa040b0, 0x30b0b0};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A window on the target's X desktop (the middle half of the screen) that changes colour every
// `change_every`; while `busy_for` lasts, a small mark in its corner also toggles every 100 ms.
// Each change's wall time is taken once the X server has drawn it (XSync).
class TargetPainter {
 public:
  TargetPainter(const std::string& display, int width, int height,
                std::chrono::milliseconds change_every, std::chrono::milliseconds busy_for)
      : dpy_(XOpenDisplay(display.c_str()), XCloseDisplay),
        change_every_(change_every),
        busy_for_(busy_for) {
    if (!dpy_) throw std::runtime_error("cannot open the target's display " + display);
    auto* d = dpy_.get();
    win_ = XCreateSimpleWindow(d, DefaultRootWindow(d), width / 4, height / 4,
                               static_cast<unsigned>(width / 2), static_cast<unsigned>(height / 2),
                               0, 0, kColours[0]);
    XSetWindowAttributes attributes{};
    attributes.override_redirect = True;  // above the xterm, no window manager involved
    XChangeWindowAttributes(d, win_, CWOverrideRedirect, &attributes);
    XMapRaised(d, win_);
    gc_ = XCreateGC(d, win_, 0, nullptr);
    XSync(d, False);
    thread_ = std::thread([this] { run(); });
  }
  ~TargetPainter() {
    stop_ = true;
    thread_.join();
    XFreeGC(dpy_.get(), gc_);
    XDestroyWindow(dpy_.get(), win_);
    XSync(dpy_.get(), False);
  }
  std::vector<test::ColourChange> changes() const {
    std::lock_guard lock(mutex_);
    return changes_;
  }

 private:
  void run() {
    using namespace std::chrono;
    auto* d = dpy_.get();
    const auto start = steady_clock::now();
    auto next_change = start + seconds(1);
    std::size_t colour = 0;
    bool mark = false;
    while (!stop_) {
      const auto now = steady_clock::now();
      if (now >= next_change) {
        colour = (colour + 1) % std::size(kColours);
        XSetWindowBackground(d, win_, kColours[colour]);
        XClearWindow(d, win_);
        XSync(d, False);
        std::lock_guard lock(mutex_);
        changes_.push_back({wall_ms(), kColours[colour]});
        next_change += change_every_;
      } else if (now - start < busy_for_) {
        mark = !mark;
        XSetForeground(d, gc_, mark ? 0xffffff : 0x000000);
        XFillRectangle(d, win_, gc_, 0, 0, 32, 32);
        XSync(d, False);
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
  }

  std::unique_ptr<Display, int (*)(Display*)> dpy_;
  Window win_ = 0;
  GC gc_ = nullptr;
  std::chrono::milliseconds change_every_;
  std::chrono::milliseconds busy_for_;
  mutable std::mutex mutex_;
  std::vector<test::ColourChange> changes_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Measured {
  json browser;  // the script's result
  std::vector<test::ColourChange> changes;
  std::int64_t busy_end = 0;
};

// Runs the browser side for both phases: signs in, opens the session, samples every frame.
json watch_in_browser(const Options& o, const std::string& base_url, const std::string& user,
                      const std::string& password, const std::string& id) {
  json input{{"base_url", base_url},
             {"auditor", {{"user", user}, {"password", password}}},
             {"session_id", id},
             {"probe", {{"x", o.width / 2}, {"y", o.height / 2}}},
             {"observe_ms", (2 * o.seconds + 4) * 1000}};
  auto run = test::run_browser_script(test::source_dir() / "tests/bench/web_live_bench.mjs",
                                      {.env = {{"RDPWARDEN_WEB_TEST_CONFIG", input.dump()}},
                                       .timeout = std::chrono::seconds(2 * o.seconds + 90)});
  if (!run.ok()) throw std::runtime_error("browser run failed:\n" + run.log);
  return run.result;
}

// The painter starts busy; the browser needs a few seconds to start, so the busy phase is
// extended by that much and the changes before the browser watches are not counted.
constexpr auto kWarmup = std::chrono::seconds(8);

Measured measure_synthetic(const Options& o) {
  test::StorageWorld world;
  world.add_user("bench", storage::Role::auditor, "Bench-Live-1");
  world.add_user("ops1", storage::Role::user, "Ops-Bench-1");
  test::TempDir recordings("rdpwarden-live-bench");
  test::RecorderLiveSessions live(recordings.path(), kId, o.width, o.height);
  test::ConsoleHost host([&](server::Config& c) { c.recording.dir = recordings.path(); },
                         world.backend.get(), &live);
  world.add_session("ops1", "srv01", "administrator", kId, {}, true);
  const auto phase = std::chrono::seconds(o.seconds);
  test::DesktopPainter painter(live, std::chrono::milliseconds(o.interval_ms), phase + kWarmup);
  const auto busy_end = wall_ms() + std::chrono::milliseconds(phase + kWarmup).count();
  auto result = watch_in_browser(o, host.base_url(), "bench", "Bench-Live-1", kId);
  return {result, painter.changes(), busy_end};
}

Measured measure_gateway(const Options& o) {
  using namespace std::chrono_literals;
  test::ShadowTarget target({.width = o.width, .height = o.height});
  test::GatewayProcess gateway({.notice_seconds = 0});
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.db().users().add("bench", storage::Role::auditor, "Bench-Live-1");
  gateway.start();
  test::XfreerdpClient client({.port = gateway.port(),
                               .username = "ops1#srv01",
                               .password = "Gw-pass-1",
                               .width = o.width,
                               .height = o.height});
  client.require_connected();
  if (!test::wait_until([&] { return !gateway.db().sessions().live().empty(); }, 20s))
    throw std::runtime_error("no live session: " + gateway.log());
  const auto id = gateway.db().sessions().live()[0].id;
  const auto phase = std::chrono::seconds(o.seconds);
  TargetPainter painter(target.display().display(), o.width, o.height,
                        std::chrono::milliseconds(o.interval_ms), phase + kWarmup);
  const auto busy_end = wall_ms() + std::chrono::milliseconds(phase + kWarmup).count();
  auto result = watch_in_browser(o, "https://127.0.0.1:" + std::to_string(gateway.web_port()),
                                 "bench", "Bench-Live-1", id);
  return {result, painter.changes(), busy_end};
}

}  // namespace

int main(int argc, char** argv) try {
  auto o = parse(argc, argv);
  const auto m = o.gateway ? measure_gateway(o) : measure_synthetic(o);
  const auto& r = m.browser;
  auto started = r["started"].get<std::int64_t>();
  auto busy = test::change_delays(m.changes, r["samples"], started + 500, m.busy_end);
  auto idle = test::change_delays(m.changes, r["samples"], m.busy_end + 500,
                                  started + (2 * o.seconds + 4) * 1000);
  json out{{"path", o.gateway ? "gateway" : "synthetic"},
           {"size", fmt::format("{}x{}", o.width, o.height)},
           {"interval_ms", o.interval_ms},
           {"first_frame_ms", r["first_frame_ms"]},
           {"busy", phase_figures(busy)},
           {"idle", phase_figures(idle)}};
  std::printf("live view %s (%s), a change every %d ms (first frame after opening: %lld ms)\n",
              out["size"].get<std::string>().c_str(), out["path"].get<std::string>().c_str(),
              o.interval_ms, static_cast<long long>(r["first_frame_ms"].get<std::int64_t>()));
  for (auto name : {"busy", "idle"}) {
    const auto& f = out[name];
    std::printf("  %-5s changes %3d  missed %2d  p50 %4lld ms  p95 %4lld ms  max %4lld ms\n", name,
                f["changes"].get<int>(), f["missed"].get<int>(),
                static_cast<long long>(f["p50_ms"].get<std::int64_t>()),
                static_cast<long long>(f["p95_ms"].get<std::int64_t>()),
                static_cast<long long>(f["max_ms"].get<std::int64_t>()));
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "web_live_bench: %s\n", e.what());
  return 1;
}
