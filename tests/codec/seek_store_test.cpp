// Seek snapshots on disk: a segment prepared once serves seeks from any later index (a restart
// of the console) without decoding from its keyframe, a damaged or stale file is never
// trusted, and a watched recordings folder is prepared as its segments close.
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <rdpwarden/codec/seek_index.hpp>

#include "seek_check.hpp"
#include "seek_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace rdpwarden;
using namespace std::chrono_literals;
using codec::SessionTime;
namespace fs = std::filesystem;

namespace {

test::SeekScript small_script() {
  test::SeekScript script;
  script.width = 320;
  script.height = 240;
  script.frames = 160;
  script.idle_after = 1000;
  script.segment_seconds = 8;  // 80 frames a segment: two segments
  return script;
}

codec::SeekIndexOptions stored(const fs::path& store) {
  codec::SeekIndexOptions o;
  o.cache_bytes = 64 << 20;
  o.snapshot_interval = 8;
  o.store_dir = store;
  o.store_min_free_bytes = 0;  // whatever this machine's /tmp has left
  return o;
}

std::uintmax_t bytes_under(const fs::path& dir) {
  std::uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) total += e.file_size();
  return total;
}

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace

TEST_CASE("stored snapshots serve a fresh index without decoding from the keyframe", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "sessions" / "3f2a";
  auto store = tmp / "seek-cache";
  fs::create_directories(rec.parent_path());
  auto info = test::record_seek_script(rec, small_script());
  REQUIRE(info.segments >= 2);
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  {
    codec::SeekIndex first(stored(store));
    first.prepare(rec);
    REQUIRE(first.wait_idle(60s));
    CHECK(first.stats().segments_prepared == static_cast<std::uint64_t>(info.segments));
    CHECK(first.stats().segments_stored == static_cast<std::uint64_t>(info.segments));
  }
  CHECK(fs::exists(store / "3f2a" / "seg-000001.m4s.snap"));
  CHECK(fs::exists(store / "3f2a" / "seg-000002.m4s.snap"));
  CHECK((fs::status(store / "3f2a").permissions() & fs::perms::others_all) == fs::perms::none);

  // A restarted console: nothing in memory, the store on disk.
  codec::SeekIndex later(stored(store));
  codec::SeekIndex no_store({.cache_bytes = 0});
  const SessionTime t = info.frame_times[75];  // late in segment 1: 75 frames after its IDR
  auto f = later.fragment_at(rec, t);
  CHECK(later.stats().snapshots_loaded > 0);
  CHECK(later.stats().fragment_frames < 8);  // from the snapshot at frame 72, not from 0
  test::check_fragment(rec, f, ref, tmp / "seek.mp4");
  CHECK(f.bytes == no_store.fragment_at(rec, t).bytes);

  // Preparing again finds the store complete: nothing is decoded.
  later.prepare(rec);
  REQUIRE(later.wait_idle(60s));
  CHECK(later.stats().segments_prepared == 0);
}

TEST_CASE("a damaged or stale stored snapshot is rebuilt, never trusted", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "sessions" / "77";
  auto store = tmp / "seek-cache";
  fs::create_directories(rec.parent_path());
  auto info = test::record_seek_script(rec, small_script());
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  {
    codec::SeekIndex first(stored(store));
    first.prepare(rec);
    REQUIRE(first.wait_idle(60s));
  }
  auto snap = store / "77" / "seg-000001.m4s.snap";
  auto bytes = test::read_bytes(snap);
  REQUIRE(bytes.size() > 200);
  SECTION("a flipped byte in a picture") {
    bytes[bytes.size() / 2] ^= 0x5a;
    test::concat_files(snap, {bytes});
  }
  SECTION("truncated") {
    bytes.resize(bytes.size() - 100);
    test::concat_files(snap, {bytes});
  }
  SECTION("made from another version of the segment") {
    // Same length, other header field: the recorded segment size no longer matches.
    bytes[12] ^= 0x01;
    test::concat_files(snap, {bytes});
  }
  codec::SeekIndex later(stored(store));
  const SessionTime t = info.frame_times[60];
  auto f = later.fragment_at(rec, t);
  CHECK(later.stats().snapshots_loaded == 0);
  test::check_fragment(rec, f, ref, tmp / "seek.mp4");
  CHECK_FALSE(fs::exists(snap));  // dropped, so that the next prepare rebuilds it
  later.prepare(rec);
  REQUIRE(later.wait_idle(60s));
  CHECK(later.stats().segments_stored == 1);
  CHECK(fs::exists(snap));
}

TEST_CASE("a watched recordings folder is prepared as segments close", "[seek]") {
  test::TempDir tmp;
  auto root = tmp / "sessions";
  auto store = tmp / "seek-cache";
  fs::create_directories(root);
  auto options = stored(store);
  options.watch_root = root;
  options.watch_interval = 100ms;
  codec::SeekIndex index(options);
  // Recordings already there when the index starts are left for prepare() (page opens).
  std::this_thread::sleep_for(300ms);
  auto info = test::record_seek_script(root / "a1", small_script());
  REQUIRE(wait_for([&] { return fs::exists(store / "a1" / "seg-000002.m4s.snap"); }, 60s));
  CHECK(fs::exists(store / "a1" / "seg-000001.m4s.snap"));
  // A seek now starts from a stored snapshot.
  index.fragment_at(root / "a1", info.frame_times[75]);
  CHECK(index.stats().fragment_frames < 8);
}

TEST_CASE("the store keeps within its bound, dropping the least recently used sessions", "[seek]") {
  test::TempDir tmp;
  auto store = tmp / "seek-cache";
  fs::create_directories(tmp / "sessions");
  std::vector<test::SeekRecordingInfo> infos;
  for (const char* id : {"s1", "s2", "s3"})
    infos.push_back(test::record_seek_script(tmp / "sessions" / id, small_script()));
  std::uintmax_t one = 0;
  {
    codec::SeekIndex index(stored(store));
    index.prepare(tmp / "sessions" / "s1");
    REQUIRE(index.wait_idle(60s));
    one = bytes_under(store / "s1");
  }
  REQUIRE(one > 0);
  auto options = stored(store);
  options.store_max_bytes = one * 5 / 2;  // room for two sessions, not three
  options.store_trim_interval = 0ms;
  codec::SeekIndex index(options);
  std::this_thread::sleep_for(20ms);  // distinct folder times
  index.prepare(tmp / "sessions" / "s2");
  REQUIRE(index.wait_idle(60s));
  // s1 is used (a seek reads its snapshots back), so s2 is now the least recently used.
  std::this_thread::sleep_for(20ms);
  index.fragment_at(tmp / "sessions" / "s1", infos[0].frame_times[75]);
  CHECK(index.stats().snapshots_loaded > 0);
  std::this_thread::sleep_for(20ms);
  index.prepare(tmp / "sessions" / "s3");
  REQUIRE(index.wait_idle(60s));
  CHECK(fs::exists(store / "s1"));
  CHECK_FALSE(fs::exists(store / "s2"));
  CHECK(fs::exists(store / "s3"));
  CHECK(bytes_under(store) <= options.store_max_bytes);
}

TEST_CASE("nothing is stored when the disk is short of space; seeks still work", "[seek]") {
  test::TempDir tmp;
  auto rec = tmp / "sessions" / "full";
  fs::create_directories(rec.parent_path());
  auto info = test::record_seek_script(rec, small_script());
  auto ref = test::reference_frames(rec, tmp / "ref.mp4", info.segments);
  auto options = stored(tmp / "seek-cache");
  options.store_min_free_bytes = std::uint64_t{1} << 62;  // more than any disk has
  codec::SeekIndex index(options);
  index.prepare(rec);
  REQUIRE(index.wait_idle(60s));
  CHECK(index.stats().segments_prepared == static_cast<std::uint64_t>(info.segments));
  CHECK(index.stats().segments_stored == 0);
  CHECK_FALSE(fs::exists(tmp / "seek-cache" / "full"));
  auto f = index.fragment_at(rec, info.frame_times[75]);
  CHECK(index.stats().fragment_frames < 8);  // from the snapshots kept in memory
  test::check_fragment(rec, f, ref, tmp / "seek.mp4");
}
