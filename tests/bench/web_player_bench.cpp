// Web player benchmark: a one-hour recording (made by the real recorder, cached between runs),
// the console over TLS on PostgreSQL, headless Chromium. Measures the time from opening the
// session page to the first decoded frame, and from a seek anywhere to the frame there.
// Targets: <= 500 ms to the first frame, <= 300 ms per seek, on loopback.
//
//   web_player_bench [--minutes 60] [--segment-seconds 30] [--fps 10] [--size 1920x1080]
//                    [--opens 5] [--seeks 30] [--cache DIR]
// Prints a table and, last, one JSON line with every figure. See tests/bench/RESULTS.md.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/web/console_host.hpp"
#include "server/web/recorded_session.hpp"
#include "server/web/storage_world.hpp"
#include "support/browser_script.hpp"
#include "support/process.hpp"

namespace fs = std::filesystem;
using namespace rdpwarden;
using nlohmann::json;

namespace {

constexpr const char* kId = "be4c0000-0000-4000-8000-000000000001";

struct Options {
  int minutes = 60;
  int segment_seconds = 30;
  int fps = 10;
  int width = 1920;
  int height = 1080;
  int opens = 5;
  int seeks = 30;
  fs::path cache = fs::temp_directory_path() / "rdpwarden-web-bench";
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--minutes")
      o.minutes = std::stoi(v);
    else if (k == "--segment-seconds")
      o.segment_seconds = std::stoi(v);
    else if (k == "--fps")
      o.fps = std::stoi(v);
    else if (k == "--size")
      std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height);
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

// Activity like an admin's: bursts of typing, pauses of a few seconds to a few minutes.
std::vector<std::pair<std::int64_t, std::int64_t>> idle_pattern(std::int64_t duration_ms) {
  std::vector<std::pair<std::int64_t, std::int64_t>> idle;
  std::uint32_t x = 12345;
  for (std::int64_t t = 20000; t < duration_ms - 10000;) {
    x = x * 1103515245u + 12345u;
    std::int64_t gap = 3000 + (x >> 8) % 120000;  // 3 s .. 2 min
    idle.emplace_back(t, std::min(t + gap, duration_ms - 5000));
    x = x * 1103515245u + 12345u;
    t += gap + 15000 + (x >> 8) % 60000;  // then 15 s .. 75 s of activity
  }
  return idle;
}

// The recording is made by the real recorder (codec::Recorder with its default encoder
// settings), fed a synthetic 1080p desktop; cached between runs because it takes minutes.
fs::path ensure_recording(const Options& o, fs::path& dir) {
  auto key = fmt::format("rec-{}min-{}s-{}fps-{}x{}", o.minutes, o.segment_seconds, o.fps, o.width,
                         o.height);
  auto root = o.cache / key;
  dir = root / kId;
  if (fs::exists(dir / "manifest.json")) return root;
  fmt::print("recording a {}-minute {}x{} session into {} (once; takes minutes)…\n", o.minutes,
             o.width, o.height, root.string());
  std::fflush(stdout);
  auto staging = o.cache / (key + ".partial");
  fs::remove_all(staging);
  fs::create_directories(staging);
  test::RecordedSessionSpec spec;
  spec.id = kId;
  spec.width = o.width;
  spec.height = o.height;
  spec.fps = o.fps;
  spec.max_fps = o.fps;
  spec.segment_seconds = o.segment_seconds;
  spec.duration_ms = o.minutes * 60000LL;
  spec.colour_period_ms = 60000;
  spec.idle = idle_pattern(spec.duration_ms);
  for (std::int64_t t = 5000; t < spec.duration_ms - 10000; t += 45000) {
    bool in_idle = std::any_of(spec.idle.begin(), spec.idle.end(),
                               [&](const auto& r) { return t + 4000 >= r.first && t < r.second; });
    if (!in_idle) spec.typed.emplace_back(t, fmt::format("echo step {}\n", t / 1000));
  }
  auto rec = test::record_session(staging, spec);
  if (!rec.summary.complete)
    throw std::runtime_error("the recorder did not complete the recording");
  fs::remove_all(root);
  fs::rename(staging, root);
  return root;
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

}  // namespace

int main(int argc, char** argv) try {
  auto o = parse(argc, argv);
  fs::path rec_dir;
  auto root = ensure_recording(o, rec_dir);
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
  world.add_session("ops1", "srv01", "", kId, {}, false, o.minutes * 60000LL,
                    static_cast<std::int64_t>(bytes));
  test::ConsoleHost host([&](server::Config& c) { c.recording.dir = root; }, world.backend.get());

  json input{{"base_url", host.base_url()},
             {"user", "bench"},
             {"password", "Bench-Pass-1"},
             {"session_id", kId},
             {"duration_s", o.minutes * 60},
             {"opens", o.opens},
             {"seeks", o.seeks}};
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
            {{"minutes", o.minutes},
             {"size", fmt::format("{}x{}", o.width, o.height)},
             {"fps", o.fps},
             {"segment_seconds", o.segment_seconds},
             {"segments", segments},
             {"bytes", bytes}}},
           {"first_frame_ms", stats(first)},
           {"seek_ms", stats(seeks)},
           {"seek_presented_ms", presented.empty() ? json(nullptr) : stats(presented)},
           {"seek_timeouts", timeouts}};
  fmt::print("web player benchmark: {} min {}x{} recording, {} segments of <= {} s, {:.1f} MB\n",
             o.minutes, o.width, o.height, segments, o.segment_seconds, bytes / 1e6);
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
