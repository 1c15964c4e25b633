#include "bench/web_player_bench_recording.hpp"
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "server/web/recorded_session.hpp"

namespace rdpwarden::bench {

namespace fs = std::filesystem;

namespace {

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

}  // namespace

// Made by the real recorder (codec::Recorder, its default encoder settings but for crf when
// given), fed the synthetic desktop; staged next to the cache entry, renamed when complete.
fs::path ensure_player_recording(const PlayerRecording& o, const fs::path& cache, fs::path& dir) {
  auto key = fmt::format("rec-{}min-{}s-{}fps-{}x{}", o.minutes, o.segment_seconds, o.fps, o.width,
                         o.height);
  if (o.crf > 0) key += fmt::format("-crf{}", o.crf);
  auto root = cache / key;
  dir = root / kPlayerBenchId;
  if (fs::exists(dir / "manifest.json")) return root;
  fmt::print("recording a {}-minute {}x{} session into {} (once; takes minutes)…\n", o.minutes,
             o.width, o.height, root.string());
  std::fflush(stdout);
  auto staging = cache / (key + ".partial");
  fs::remove_all(staging);
  fs::create_directories(staging);
  test::RecordedSessionSpec spec;
  spec.id = kPlayerBenchId;
  spec.crf = o.crf;
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

bool set_recording_option(PlayerRecording& r, const std::string& key, const std::string& value) {
  if (key == "--minutes")
    r.minutes = std::stoi(value);
  else if (key == "--segment-seconds")
    r.segment_seconds = std::stoi(value);
  else if (key == "--fps")
    r.fps = std::stoi(value);
  else if (key == "--size")
    std::sscanf(value.c_str(), "%dx%d", &r.width, &r.height);
  else if (key == "--crf")
    r.crf = std::stoi(value);
  else
    return false;
  return true;
}

}  // namespace rdpwarden::bench
