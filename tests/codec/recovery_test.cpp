// Crash safety without killing anything: snapshots of a live recording folder (what a kill
// would leave), torn writes, recovery, and write failures.
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include <rdpwarden/codec/disk_space.hpp>
#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/recorder.hpp>
#include <rdpwarden/codec/recording_error.hpp>
#include <rdpwarden/codec/recovery.hpp>

#include "file_io.hpp"
#include "fragment_scanner.hpp"
#include "image_compare.hpp"
#include "manifest.hpp"
#include "recording_fixture.hpp"
#include "support/temp_dir.hpp"
#include "synthetic_desktop.hpp"

using namespace rdpwarden;
using codec::Rect;
using codec::SessionTime;

namespace {

bool wait_for(const std::function<bool()>& ready) {
  for (int i = 0; i < 200; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return ready();
}

}  // namespace

TEST_CASE("a snapshot of a live recording recovers to everything flushed", "[recovery]") {
  test::TempDir tmp;
  auto dir = tmp / "live";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(320, 240);
  auto opts = test::test_options(dir);
  opts.flush_seconds = 1;
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 320, 240};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  for (int i = 1; i <= 25; ++i) {  // 2.5 s of typing: flushes at 1 s and 2 s
    Rect r = desk.type_char(i, 2, 'k');
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 100));
  }
  auto partial = dir / "seg-000001.m4s.partial";
  REQUIRE(wait_for([&] {
    return std::filesystem::exists(partial) &&
           codec::scan_fragments(codec::read_file(partial)).fragments.size() >= 2;
  }));
  // What kill -9 leaves: copy the folder as it is now, then tear the partial's tail.
  auto crashed = tmp / "crashed";
  std::filesystem::copy(dir, crashed);
  {
    std::ofstream torn(crashed / "seg-000001.m4s.partial", std::ios::binary | std::ios::app);
    torn << std::string("\0\0\x10\0moof-torn", 13);
  }
  rec->stop("end", SessionTime(3000));

  auto result = codec::recover_recording(crashed);
  CHECK_FALSE(result.was_complete);
  CHECK(result.segments == 1);
  CHECK(result.truncated_bytes == 13);
  CHECK(result.duration >= std::chrono::milliseconds(2000));
  CHECK(!std::filesystem::exists(crashed / "seg-000001.m4s.partial"));
  auto m = codec::Manifest::load(crashed);
  CHECK_FALSE(m.complete);
  CHECK(m.end_reason == "interrupted");
  CHECK(m.duration_ms == result.duration.count());
  auto frames = codec::FrameDecoder::decode_session(crashed);
  REQUIRE(frames.size() >= 20);
  CHECK(frames.front().keyframe);
  // Idempotent.
  auto again = codec::recover_recording(crashed);
  CHECK(again.duration == result.duration);
  auto events = test::read_text(crashed / "events.jsonl");
  CHECK(events.find("\"reason\":\"interrupted\"") != std::string::npos);
}

TEST_CASE("recovery lists a closed segment the manifest missed and drops an empty partial",
          "[recovery]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(320, 240);
  auto opts = test::test_options(dir);
  opts.segment_seconds = 1;
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 320, 240};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  for (int i = 1; i < 25; ++i) {
    Rect r = desk.type_char(i, 2, 'w');
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 100));
  }
  rec->stop("end", SessionTime(2500));
  auto m = codec::Manifest::load(dir);
  REQUIRE(m.segments.size() == 3);
  // As if the process died after renaming segment 3 but before rewriting the manifest, with
  // segment 4 just created.
  m.segments.pop_back();
  m.complete = false;
  m.end_reason.clear();
  REQUIRE(!m.save(dir));
  std::ofstream(dir / "seg-000004.m4s.partial").put('\0');
  auto result = codec::recover_recording(dir);
  CHECK(result.segments == 3);
  CHECK(result.duration == std::chrono::milliseconds(2500));
  CHECK(!std::filesystem::exists(dir / "seg-000004.m4s.partial"));
  auto fixed = codec::Manifest::load(dir);
  CHECK(fixed.segments[2].chain ==
        codec::chain_link(fixed.segments[1].chain, fixed.segments[2].sha256));
}

TEST_CASE("a recording that cannot be written fails closed and keeps what it had", "[recovery]") {
  test::TempDir tmp;
  SECTION("the folder cannot be created") {
    std::ofstream(tmp / "file").put('x');
    test::CollectingObserver observer;
    auto opts = test::test_options(tmp / "file" / "s");
    CHECK_THROWS_AS(codec::Recorder::start(opts, observer), codec::RecordingError);
    auto space = codec::check_recording_space(tmp / "file" / "s", 0);
    CHECK_FALSE(space.ok);
    CHECK(space.message.find("cannot be created") != std::string::npos);
  }
  SECTION("too little free space refuses a new session") {
    auto space = codec::check_recording_space(tmp.path(), UINT64_MAX / 2);
    CHECK_FALSE(space.ok);
    CHECK(space.message.find("free") != std::string::npos);
    test::CollectingObserver observer;
    auto opts = test::test_options(tmp / "s");
    opts.min_free_bytes = UINT64_MAX / 2;
    CHECK_THROWS_AS(codec::Recorder::start(opts, observer), codec::RecordingError);
  }
  SECTION("the disk fills up mid-session (ENOSPC)") {
    auto dir = tmp / "s";
    std::filesystem::create_directory(dir);
    // The open segment lands on /dev/full: every write fails with ENOSPC.
    std::filesystem::create_symlink("/dev/full", dir / "seg-000001.m4s.partial");
    test::CollectingObserver observer;
    test::SyntheticDesktop desk(320, 240);
    auto opts = test::test_options(dir);
    opts.flush_seconds = 1;
    auto rec = codec::Recorder::start(opts, observer);
    Rect all{0, 0, 320, 240};
    for (int i = 0; i < 30; ++i) {
      Rect r = i == 0 ? all : desk.type_char(i, 1, 'f');
      rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 100));
    }
    REQUIRE(wait_for([&] { return rec->counters().failed; }));
    rec->on_frame(desk.view(), {&all, 1}, SessionTime(5000));
    auto summary = rec->stop("end", SessionTime(6000));
    CHECK_FALSE(summary.complete);
    REQUIRE(observer.failures.size() == 1);
    CHECK(observer.failures[0].kind == codec::RecorderFailureKind::disk_full);
    CHECK(observer.failures[0].message.find("No space left") != std::string::npos);
    CHECK(rec->counters().updates_dropped >= 1);
    auto m = codec::Manifest::load(dir);
    CHECK_FALSE(m.complete);
    CHECK(m.inits.size() == 1);  // written before the failure and still there
    auto events = test::read_text(dir / "events.jsonl");
    CHECK(events.find("recording.failure") != std::string::npos);
  }
}

TEST_CASE("the fragment scanner never reads past hostile sizes", "[recovery]") {
  std::vector<std::uint8_t> junk = {0,    0,    0,    8,    'm', 'o', 'o', 'f',
                                    0xff, 0xff, 0xff, 0xff, 'm', 'd', 'a', 't'};
  auto scan = codec::scan_fragments(junk);
  CHECK(scan.fragments.empty());
  CHECK(scan.complete_bytes == 0);
  std::vector<std::uint8_t> huge = {0,    0,    0,    1,    'm',  'o',  'o',  'f',
                                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  CHECK(codec::scan_fragments(huge).fragments.empty());
  CHECK(codec::scan_fragments({}).complete_bytes == 0);
}

TEST_CASE("a recording that never got a frame recovers to zero length", "[recovery]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  {
    auto rec = codec::Recorder::start(test::test_options(dir), observer);
    auto snapshot = tmp / "snap";
    REQUIRE(wait_for([&] { return std::filesystem::exists(dir / "manifest.json"); }));
    std::filesystem::copy(dir, snapshot);
    rec->stop("end", SessionTime(100));
    auto r = codec::recover_recording(snapshot);
    CHECK(r.segments == 0);
    CHECK(r.duration == std::chrono::milliseconds(0));
  }
  CHECK_THROWS_AS(codec::recover_recording(tmp / "nothing-here"), codec::RecordingError);
}
