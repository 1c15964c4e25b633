// Web player benchmark: a one-hour recording (made by the real recorder, cached between runs),
// the console over TLS on PostgreSQL, headless Chromium. Measures the time from opening the
// session page to the first decoded frame, and from a seek anywhere to the frame there.
// Targets: <= 500 ms to the first frame, <= 300 ms per seek, on loopback.
// --player-seek server: the player fetches a seek fragment (…/seek?t=) for a position it has not
// buffered; segment: the old path, the whole segment from its keyframe.
// --seek-index ready (default): the console's seek snapshots are made before the browser opens
// the page, as they are for a session that ended while the console ran (it prepares each
// segment as it closes); the time and CPU that takes are reported. cold: not made (a recording
// older than the console's seek cache, opened for the first time).
//
//   web_player_bench [--minutes 60] [--segment-seconds 30] [--fps 10] [--size 1920x1080]
//                    [--crf N] [--player-seek server|segment] [--seek-index ready|cold]
//                    [--opens 5] [--seeks 30] [--cache DIR]
// Prints a table and, last, one JSON line with every figure. See tests/bench/RESULTS.md.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/web_player_bench_recording.hpp"
#include "server/web/console_host.hpp"
#include "server/web/storage_world.hpp"
#include "support/browser_script.hpp"
#include "support/process.hpp"
#include "web/web_app.hpp"

namespace fs = std::filesystem;
using namespace rdpwarden;
using nlohmann::json;

namespace {

constexpr const char* kId = bench::kPlayerBenchId;

struct Options {
  bench::PlayerRecording recording;
  std::string player_seek = "server";
  bool index_ready = true;
  int opens = 5;
  int seeks = 30;
  fs::path cache = fs::temp_directory_path() / "rdpwarden-web-bench";
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    auto& r = o.recording;
    if (bench::set_recording_option(r, k, v)) continue;
    if (k == "--player-seek" && (v == "server" || v == "segment"))
      o.player_seek = v;
    else if (k == "--seek-index" && (v == "ready" || v == "cold"))
      o.index_ready = v == "ready";
    else if (k == "--opens")
      o.opens = std::stoi(v);
    else if (k == "--seeks")
      o.seeks = std::stoi(v);
    else if (k == "--cache")
      o.cache = v;
    else
      throw std::runtime_error("unknown option " + k);
  }
  return o;
}

json stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
  };
  return {{"n", v.size()},
          {"min", v.front()},
          {"median", at(0.5)},
          {"p90", at(0.9)},
          {"max", v.back()}};
}

double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Makes the console's seek snapshots for the recording and reports what that cost.
json build_seek_index(test::ConsoleHost& host, const fs::path& rec_dir) {
  auto& index = host.server().app().seek_index();
  const double cpu0 = process_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  index.prepare(rec_dir);
  if (!index.wait_idle(std::chrono::minutes(30)))
    throw std::runtime_error("the seek index was not made within 30 minutes");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::uintmax_t stored = 0;
  for (const auto& e : fs::recursive_directory_iterator(host.config().seek_cache_dir()))
    if (e.is_regular_file()) stored += e.file_size();
  auto st = index.stats();
  return {{"wall_s", wall},
          {"cpu_s", process_cpu_seconds() - cpu0},
          {"segments", st.segments_stored},
          {"frames_decoded", st.prepare_frames},
          {"stored_bytes", stored}};
}

}  // namespace

int main(int argc, char** argv) try {
  auto o = parse(argc, argv);
  const auto& r = o.recording;
  fs::path rec_dir;
  auto root = bench::ensure_player_recording(r, o.cache, rec_dir);
  std::uintmax_t bytes = 0;
  int segments = 0;
  for (const auto& e : fs::directory_iterator(rec_dir)) {
    if (!e.is_regular_file()) continue;
    bytes += e.file_size();
    segments += e.path().extension() == ".m4s";
  }

  test::StorageWorld world;
  world.add_user("bench", storage::Role::auditor, "Bench-Pass-1");
  world.add_user("ops1", storage::Role::user, "Ops-Pass-1");
  world.add_session("ops1", "srv01", "", kId, {}, false, r.minutes * 60000LL,
                    static_cast<std::int64_t>(bytes));
  test::ConsoleHost host([&](server::Config& c) { c.recording.dir = root; }, world.backend.get());

  json index = nullptr;
  if (o.index_ready) {
    index = build_seek_index(host, rec_dir);
    fmt::print("seek index: {} segments, {} frames decoded in {:.1f} s ({:.1f} CPU-s), {:.1f} MB\n",
               index["segments"].get<int>(), index["frames_decoded"].get<int>(),
               index["wall_s"].get<double>(), index["cpu_s"].get<double>(),
               static_cast<double>(index["stored_bytes"].get<std::uintmax_t>()) / 1e6);
  }

  json input{{"base_url", host.base_url()},
             {"user", "bench"},
             {"password", "Bench-Pass-1"},
             {"session_id", kId},
             {"duration_s", r.minutes * 60},
             {"opens", o.opens},
             {"seeks", o.seeks},
             {"player_seek", o.player_seek}};
  auto run = test::run_browser_script(
      test::source_dir() / "tests/bench/web_player_bench.mjs",
      {.env = {{"RDPWARDEN_WEB_BENCH_CONFIG", input.dump()}}, .timeout = std::chrono::minutes(15)});
  if (!run.ok()) throw std::runtime_error("browser run failed: " + run.log.substr(0, 4000));
  if (std::getenv("RDPWARDEN_BENCH_VERBOSE")) fmt::print("{}\n", run.log);
  std::vector<double> first;
  for (const auto& v : run.result["first_frame_ms"])
    first.push_back(v.get<double>());
  std::vector<double> seeks;
  std::vector<double> presented;
  int timeouts = 0;
  for (const auto& s : run.result["seeks"]) {
    if (s["ms"].is_null()) {
      ++timeouts;
      continue;
    }
    seeks.push_back(s["ms"].get<double>());
    if (!s["frame_ms"].is_null()) presented.push_back(s["frame_ms"].get<double>());
  }
  if (first.empty() || seeks.empty())
    throw std::runtime_error("no measurement: " + run.log.substr(0, 4000));
  json out{{"recording",
            {{"minutes", r.minutes},
             {"size", fmt::format("{}x{}", r.width, r.height)},
             {"fps", r.fps},
             {"segment_seconds", r.segment_seconds},
             {"segments", segments},
             {"crf", r.crf},
             {"bytes", bytes}}},
           {"player_seek", o.player_seek},
           {"seek_index", index},
           {"seek_requests", run.result["seek_requests"]},
           {"segment_requests", run.result["segment_requests"]},
           {"first_frame_ms", stats(first)},
           {"seek_ms", stats(seeks)},
           {"seek_presented_ms", presented.empty() ? json(nullptr) : stats(presented)},
           {"seek_timeouts", timeouts}};
  fmt::print(
      "web player benchmark: {} min {}x{} recording, {} segments of <= {} s, {:.1f} MB; "
      "player seek: {} ({} seek fragments, {} segments fetched)\n",
      r.minutes, r.width, r.height, segments, r.segment_seconds, bytes / 1e6, o.player_seek,
      run.result["seek_requests"].get<int>(), run.result["segment_requests"].get<int>());
  fmt::print("{:<38}{:>6}{:>8}{:>8}{:>8}{:>8}\n", "", "n", "min", "median", "p90", "max");
  for (const auto& [name, key] :
       {std::pair{"page open -> first frame (ms)", "first_frame_ms"},
        std::pair{"seek -> frame at target ready (ms)", "seek_ms"},
        std::pair{"seek -> new frame presented (ms)", "seek_presented_ms"}}) {
    const auto& s = out[key];
    if (s.is_null()) continue;
    fmt::print("{:<38}{:>6}{:>8.0f}{:>8.0f}{:>8.0f}{:>8.0f}\n", name, s["n"].get<int>(),
               s["min"].get<double>(), s["median"].get<double>(), s["p90"].get<double>(),
               s["max"].get<double>());
  }
  if (timeouts > 0) fmt::print("{} seeks did not complete within 20 s\n", timeouts);
  fmt::print("{}\n", out.dump());
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "web_player_bench: {}\n", e.what());
  return 1;
}
