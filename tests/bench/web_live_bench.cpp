// Live-view latency benchmark (issue 7): a real codec::Recorder encodes a synthetic desktop at
// --size, relayed through RecorderLiveSessions to the console over TLS (PostgreSQL behind it)
// and watched in headless Chromium. The desktop changes colour every --interval ms; the delay
// of a change is the time until Chromium presents the first frame in the new colour (both
// clocks are this machine's wall clock). Two phases: "busy" (a frame every 100 ms between
// changes, like typing) and "idle" (nothing between changes). Targets: p50 <= 300 ms,
// p95 <= 1 s on loopback.
//
//   web_live_bench [--seconds 60] [--interval 700] [--size 1280x720]
// Prints a table and, last, one JSON line. See tests/bench/RESULTS.md, "Live view".

#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/web/console_host.hpp"
#include "server/web/live_latency.hpp"
#include "server/web/recorder_live_sessions.hpp"
#include "server/web/storage_world.hpp"
#include "support/browser_script.hpp"
#include "support/process.hpp"

using namespace rdpwarden;
using nlohmann::json;

namespace {

constexpr const char* kId = "be4c0000-0000-4000-8000-00000000011e";

struct Options {
  int seconds = 60;  // per phase
  int interval_ms = 700;
  int width = 1280;
  int height = 720;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
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

}  // namespace

int main(int argc, char** argv) try {
  auto o = parse(argc, argv);
  test::StorageWorld world;
  world.add_user("bench", storage::Role::auditor, "Bench-Live-1");
  world.add_user("ops1", storage::Role::user, "Ops-Bench-1");
  test::TempDir recordings("rdpwarden-live-bench");
  test::RecorderLiveSessions live(recordings.path(), kId, o.width, o.height);
  test::ConsoleHost host([&](server::Config& c) { c.recording.dir = recordings.path(); },
                         world.backend.get(), &live);
  world.add_session("ops1", "srv01", "administrator", kId, {}, true);
  auto phase = std::chrono::seconds(o.seconds);
  // The painter starts busy; the browser needs a few seconds to start, so the busy phase is
  // extended by that much and the first changes are not counted.
  auto warmup = std::chrono::seconds(8);
  test::DesktopPainter painter(live, std::chrono::milliseconds(o.interval_ms), phase + warmup);
  auto t0 = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  json input{{"base_url", host.base_url()},
             {"auditor", {{"user", "bench"}, {"password", "Bench-Live-1"}}},
             {"session_id", kId},
             {"probe", {{"x", o.width / 2}, {"y", o.height / 2}}},
             {"observe_ms", (2 * o.seconds + 4) * 1000}};
  auto run = test::run_browser_script(test::source_dir() / "tests/bench/web_live_bench.mjs",
                                      {.env = {{"RDPWARDEN_WEB_TEST_CONFIG", input.dump()}},
                                       .timeout = std::chrono::seconds(2 * o.seconds + 90)});
  if (!run.ok()) {
    std::fprintf(stderr, "browser run failed:\n%s\n", run.log.c_str());
    return 1;
  }
  const auto& r = run.result;
  auto changes = painter.changes();
  auto busy_end = t0 + std::chrono::milliseconds(phase + warmup).count();
  auto started = r["started"].get<std::int64_t>();
  auto busy = test::change_delays(changes, r["samples"], started + 500, busy_end);
  auto idle = test::change_delays(changes, r["samples"], busy_end + 500,
                                  started + input["observe_ms"].get<std::int64_t>());
  json out{{"size", fmt::format("{}x{}", o.width, o.height)},
           {"interval_ms", o.interval_ms},
           {"first_frame_ms", r["first_frame_ms"]},
           {"busy", phase_figures(busy)},
           {"idle", phase_figures(idle)}};
  std::printf("live view %s, a change every %d ms (first frame after opening: %lld ms)\n",
              out["size"].get<std::string>().c_str(), o.interval_ms,
              static_cast<long long>(r["first_frame_ms"].get<std::int64_t>()));
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
