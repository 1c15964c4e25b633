// Seek fragment latency and snapshot cache cost on a 1080p recording (RESULTS.md, "Seek
// index"). Records a scripted desktop (typing, scrolls, a dragged window) with the real
// Recorder into segments of ~1200 decode-cost units, then times SeekIndex::fragment_at at
// random times: cold (no snapshots: decoding from the segment's keyframe) and warm (after the
// snapshots a prepare pass keeps), and measures what a snapshot costs to keep.
//
//   build/rel/tests/bench/seek_index_bench [frames=2400] [seeks=40] [segment_seconds=120]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <unistd.h>

#include <fmt/format.h>

#include <rdpwarden/codec/seek_index.hpp>

#include "seek_decoder.hpp"
#include "seek_fixture.hpp"
#include "seek_recording.hpp"
#include "seek_snapshot_cache.hpp"

using namespace rdpwarden;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

struct Run {
  std::vector<double> ms;
  double bytes = 0;
};

Run time_seeks(codec::SeekIndex& index, const std::filesystem::path& rec,
               const std::vector<codec::SessionTime>& times) {
  Run r;
  for (auto t : times) {
    auto begin = Clock::now();
    auto f = index.fragment_at(rec, t);
    r.ms.push_back(ms_since(begin));
    r.bytes += static_cast<double>(f.bytes.size());
  }
  r.bytes /= static_cast<double>(times.size());
  return r;
}

// Decodes the first segment and keeps a snapshot every `interval` frames, as prepare does:
// the cost per snapshot kept (compression) and per snapshot used (decompression), its size.
void snapshot_cost(const std::filesystem::path& rec, int interval, double frames_per_hour) {
  auto recording = codec::SeekRecording::load(rec, false);
  auto segment = codec::load_segment(recording, recording.segments.front());
  const auto& sps = segment.stream.sps;
  codec::SeekDecoder decoder(segment.stream.avc.record, sps.width_mbs, sps.height_mbs);
  codec::SnapshotCache cache(std::size_t{4} << 30);
  double decode_ms = 0, put_ms = 0, find_ms = 0;
  int kept = 0;
  const std::size_t n = segment.samples.samples.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto begin = Clock::now();
    decoder.decode(segment.sample(i));
    decode_ms += ms_since(begin);
    if (i > 0 && i % static_cast<std::size_t>(interval) == 0) {
      auto picture = decoder.picture();
      begin = Clock::now();
      cache.put("s", static_cast<int>(i), picture);
      put_ms += ms_since(begin);
      begin = Clock::now();
      (void)cache.find("s", static_cast<int>(i), static_cast<int>(i));
      find_ms += ms_since(begin);
      ++kept;
    }
  }
  double per = static_cast<double>(cache.bytes()) / kept;
  fmt::print("segment 1: {} frames, decode {:.2f} ms/frame (libavcodec, 1 thread)\n", n,
             decode_ms / static_cast<double>(n));
  fmt::print(
      "snapshots: {} kept, {:.0f} KB each compressed (raw {:.0f} KB), keep {:.1f} ms, "
      "restore {:.1f} ms\n",
      kept, per / 1024, sps.width_mbs * sps.height_mbs * 384 / 1024.0, put_ms / kept,
      find_ms / kept);
  fmt::print("cache per recorded hour at {:.0f} frames/h (interval {}): {:.1f} MB\n",
             frames_per_hour, interval, frames_per_hour / interval * per / 1048576.0);
}

}  // namespace

int main(int argc, char** argv) {
  test::SeekScript script;
  script.width = 1920;
  script.height = 1080;
  script.frames = argc > 1 ? std::stoi(argv[1]) : 2400;
  script.idle_after = script.frames / 2;
  // Segments of segment_seconds x 10 fps decode-cost units: 120 (the recorder's new default)
  // makes ~1200-frame segments here (the scripted frames are small: one unit each).
  script.segment_seconds = argc > 3 ? std::stoi(argv[3]) : 120;
  const int seeks = argc > 2 ? std::stoi(argv[2]) : 40;
  std::string tmp_name = (std::filesystem::temp_directory_path() / "seek-bench-XXXXXX").string();
  if (!::mkdtemp(tmp_name.data())) return 1;
  const std::filesystem::path tmp(tmp_name);
  auto rec = tmp / "rec";
  auto begin = Clock::now();
  auto info = test::record_seek_script(rec, script);
  fmt::print("recorded {} frames 1920x1080 in {:.1f} s\n", info.frame_times.size(),
             ms_since(begin) / 1000);
  for (const auto& s : codec::SeekRecording::load(rec, false).segments) {
    auto loaded = codec::load_segment(codec::SeekRecording::load(rec, false), s);
    fmt::print("segment {}: {} frames, {} KB\n", s.index, loaded.samples.samples.size(),
               loaded.bytes.size() / 1024);
  }

  std::mt19937 rng(42);
  std::uniform_int_distribution<std::int64_t> pick(0, info.end.count() - 1);
  std::vector<codec::SessionTime> times;
  for (int i = 0; i < seeks; ++i)
    times.emplace_back(pick(rng));

  codec::SeekIndex cold({.cache_bytes = 0});
  Run c = time_seeks(cold, rec, times);
  fmt::print("cold  fragment_at: p50 {:.0f} ms, p90 {:.0f} ms, max {:.0f} ms, {:.0f} KB/fragment\n",
             percentile(c.ms, 0.5), percentile(c.ms, 0.9), percentile(c.ms, 1.0), c.bytes / 1024);

  // Warm: the snapshots a prepare pass keeps, made synchronously here (seeking to every
  // snapshot point in order decodes each frame once, as prepare does) so the time is known.
  codec::SeekIndex warm;
  begin = Clock::now();
  for (std::size_t i = 0; i < info.frame_times.size(); i += 32)
    (void)warm.fragment_at(rec, info.frame_times[i]);
  fmt::print("warm-up (every snapshot point in order): {:.1f} s\n", ms_since(begin) / 1000);
  Run w = time_seeks(warm, rec, times);
  fmt::print("warm  fragment_at: p50 {:.0f} ms, p90 {:.0f} ms, max {:.0f} ms\n",
             percentile(w.ms, 0.5), percentile(w.ms, 0.9), percentile(w.ms, 1.0));

  // What a warm seek costs besides decoding: at a snapshot's own frame nothing is decoded
  // (reading the recording, restoring the picture, writing it as PCM, the fragment).
  auto recording = codec::SeekRecording::load(rec, false);
  auto first = codec::load_segment(recording, recording.segments.front());
  std::vector<codec::SessionTime> at_snapshots;
  for (std::size_t i = 32; i < first.samples.samples.size(); i += 32)
    at_snapshots.emplace_back(first.samples.samples[i].decode_time);
  Run z = time_seeks(warm, rec, at_snapshots);
  fmt::print("warm  fragment_at at a snapshot frame (no decoding): p50 {:.0f} ms, p90 {:.0f} ms\n",
             percentile(z.ms, 0.5), percentile(z.ms, 0.9));

  // Typing makes ~2.1 frames a second (RESULTS.md, Run 2): ~7600 frames per hour.
  snapshot_cost(rec, 32, 7600);
  std::filesystem::remove_all(tmp);
  return 0;
}
