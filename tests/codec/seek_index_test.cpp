// Server-side seek fragments are bit-exact: decoding init + a seek fragment gives, frame for
// frame and byte for byte, what decoding the recording from its keyframe gives at the same
// times. Recordings are made by the real Recorder; the reference decoder is plain FFmpeg.
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include <rdpwarden/codec/recording_error.hpp>
#include <rdpwarden/codec/seek_index.hpp>

#include "seek_check.hpp"
#include "seek_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace rdpwarden;
using codec::SessionTime;

TEST_CASE("a seek fragment decodes bit-exactly like the recording from its keyframe", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "rec";
  test::SeekScript script;  // 640x360: coded 368 rows, so padding rows matter
  auto info = test::record_seek_script(rec, script);
  REQUIRE(info.segments == 1);  // one long segment: hundreds of frames after one IDR
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  // Every frame fed, plus repeat frames after flushes (the idle gap).
  REQUIRE(ref.size() > info.frame_times.size());

  codec::SeekIndex cold({.cache_bytes = 0});  // never a snapshot: always from the keyframe
  codec::SeekIndex warm({.cache_bytes = 64 << 20, .snapshot_interval = 16});
  const auto& ft = info.frame_times;
  const std::vector<SessionTime> times = {
      SessionTime(0),                              // the keyframe itself
      ft[37] + SessionTime(1),                     // early, between two frames
      ft[120],                                     // the middle
      ft[script.idle_after] + SessionTime(3000),   // inside the idle stretch
      ft[script.idle_after + 1] - SessionTime(1),  // the repeat frame before the change
      ft[200],                                     // after a snapshot on the way
      ft.back(),                                   // the last frame
      info.end - SessionTime(1),                   // the last millisecond
  };
  for (SessionTime t : times) {
    INFO("t = " << t.count() << " ms");
    auto a = cold.fragment_at(rec, t);
    auto b = warm.fragment_at(rec, t);
    CHECK(a.init == "init.mp4");
    CHECK(a.segment == 1);
    CHECK(a.end == info.end);
    // The frame showing at t: the last frame starting at or before it.
    auto showing = std::prev(ref.upper_bound(t.count()));
    CHECK(a.start.count() == showing->first);
    // Away from the keyframe the first sample is the whole picture in I_PCM (384 bytes per
    // macroblock of the 640x368 coded picture), at the keyframe it is the IDR itself.
    const std::size_t pcm_bytes = 40 * 23 * 384;
    if (a.start.count() == 0)
      CHECK(a.bytes.size() < pcm_bytes);
    else
      CHECK(a.bytes.size() > pcm_bytes);
    test::check_fragment(rec, a, ref, tmp / "seek.mp4");
    // From a snapshot or from the keyframe: the same picture, so the same bytes.
    CHECK(a.bytes == b.bytes);
  }
}

TEST_CASE("seek fragments are bit-exact with CAVLC streams and across segments", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "rec";
  test::SeekScript script;
  script.width = 352;
  script.height = 200;
  script.frames = 120;
  script.idle_after = 60;
  script.segment_seconds = 5;  // 50 frames a segment: several segments
  script.x264_params = "cabac=0";
  auto info = test::record_seek_script(rec, script);
  REQUIRE(info.segments >= 2);
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  codec::SeekIndex index({.cache_bytes = 16 << 20, .snapshot_interval = 4});
  std::set<std::uint32_t> segments;
  for (std::size_t i = 3; i < info.frame_times.size(); i += 11) {
    auto f = index.fragment_at(rec, info.frame_times[i]);
    segments.insert(f.segment);
    CHECK(f.start == info.frame_times[i]);
    test::check_fragment(rec, f, ref, tmp / "seek.mp4");
  }
  CHECK(segments.size() >= 2);
}

TEST_CASE("a seek decodes from the nearest IDR, also one a live viewer forced mid-segment",
          "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "rec";
  test::SeekScript script;
  script.width = 320;
  script.height = 240;
  script.frames = 120;
  script.idle_after = 1000;
  script.keyframe_before = 60;
  auto info = test::record_seek_script(rec, script);
  REQUIRE(info.segments == 1);
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  std::vector<std::int64_t> keys;
  for (const auto& [pts, frame] : ref)
    if (frame.keyframe) keys.push_back(pts);
  REQUIRE(keys.size() == 2);  // the segment's own and the forced one
  REQUIRE(keys[1] >= info.frame_times[55].count());
  codec::SeekIndex index({.cache_bytes = 16 << 20, .snapshot_interval = 8});
  const std::size_t pcm_bytes = 20 * 15 * 384;
  // At the forced IDR: the fragment starts with that IDR as recorded (no PCM picture).
  auto at_key = index.fragment_at(rec, SessionTime(keys[1]));
  CHECK(at_key.start.count() == keys[1]);
  CHECK(at_key.bytes.size() < pcm_bytes);
  test::check_fragment(rec, at_key, ref, tmp / "seek.mp4");
  // Before it and after it: PCM pictures decoded from the right IDR, exact.
  for (auto t :
       {SessionTime(keys[1] - 250), SessionTime(keys[1] + 1500), info.frame_times.back()}) {
    auto f = index.fragment_at(rec, t);
    CHECK(f.bytes.size() > pcm_bytes);
    test::check_fragment(rec, f, ref, tmp / "seek.mp4");
  }
}

TEST_CASE("seeking outside a recording or into a damaged one fails clearly", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "rec";
  test::SeekScript script;
  script.width = 320;
  script.height = 240;
  script.frames = 60;
  script.idle_after = 1000;
  auto info = test::record_seek_script(rec, script);
  codec::SeekIndex index;
  CHECK_THROWS_AS(index.fragment_at(rec, info.end), std::out_of_range);
  CHECK_THROWS_AS(index.fragment_at(rec, SessionTime(-1)), std::out_of_range);
  CHECK_THROWS_AS(index.fragment_at(tmp / "missing", SessionTime(0)), codec::RecordingError);

  auto seg = rec / "seg-000001.m4s";
  auto bytes = test::read_bytes(seg);
  SECTION("truncated") {
    test::concat_files(
        seg, {std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + bytes.size() / 2)});
    CHECK_THROWS_AS(index.fragment_at(rec, info.frame_times[40]), codec::RecordingError);
  }
  SECTION("corrupted media") {
    // Overwrite the middle of the media data (past the first moof) with noise.
    for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + 4000 && i < bytes.size(); ++i)
      bytes[i] = static_cast<std::uint8_t>(i * 131);
    test::concat_files(seg, {bytes});
    CHECK_THROWS_AS(index.fragment_at(rec, info.frame_times.back()), codec::RecordingError);
  }
  SECTION("corrupted boxes") {
    for (std::size_t i = 0; i < 64 && i < bytes.size(); ++i)
      bytes[i] = 0xff;
    test::concat_files(seg, {bytes});
    CHECK_THROWS_AS(index.fragment_at(rec, info.frame_times[10]), codec::RecordingError);
  }
}

TEST_CASE("a live session's open .partial segment is seekable with include_partial", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "rec";
  test::SeekScript script;
  script.width = 320;
  script.height = 240;
  script.frames = 80;
  script.idle_after = 1000;
  auto info = test::record_seek_script(rec, script);
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  // Make the recording look live: the segment back to .partial, the manifest without it.
  std::filesystem::rename(rec / "seg-000001.m4s", rec / "seg-000001.m4s.partial");
  auto manifest = test::read_bytes(rec / "manifest.json");
  std::string text(manifest.begin(), manifest.end());
  auto at = text.find("\"segments\":");
  REQUIRE(at != std::string::npos);
  auto close = text.find(']', at);
  text = text.substr(0, at) + "\"segments\":[" + text.substr(close);
  test::concat_files(rec / "manifest.json", {std::vector<std::uint8_t>(text.begin(), text.end())});

  codec::SeekIndex index;
  SessionTime t = info.frame_times[50];
  CHECK_THROWS_AS(index.fragment_at(rec, t), std::out_of_range);
  auto f = index.fragment_at(rec, t, true);
  CHECK(f.segment == 1);
  CHECK(f.start == t);
  CHECK(f.end == info.end);
  test::check_fragment(rec, f, ref, tmp / "seek.mp4");
}

TEST_CASE("prepare runs in the background and stops when the index is destroyed", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "rec";
  test::SeekScript script;
  script.frames = 200;
  auto info = test::record_seek_script(rec, script);
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  {
    codec::SeekIndex index({.cache_bytes = 64 << 20, .snapshot_interval = 8});
    index.prepare(rec);
    index.prepare(rec);  // repeated: cheap
    // Seeks while prepare runs are still exact.
    test::check_fragment(rec, index.fragment_at(rec, info.frame_times[150]), ref, tmp / "seek.mp4");
  }
  auto begin = std::chrono::steady_clock::now();
  {
    codec::SeekIndex index({.cache_bytes = 64 << 20, .snapshot_interval = 8});
    index.prepare(rec);
  }
  CHECK(std::chrono::steady_clock::now() - begin < std::chrono::seconds(5));
}
