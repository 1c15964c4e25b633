// The recorder on synthetic frame sequences: what goes in comes back out of the files.
#include <cstdlib>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/recorder.hpp>

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
using std::chrono::milliseconds;

namespace {

struct Fed {
  SessionTime t;
  std::vector<std::uint8_t> pixels;
};

codec::FrameView view_of(const std::vector<std::uint8_t>& pixels, int w, int h) {
  return {pixels.data(), w, h, w * 4};
}

std::uint64_t segment_bytes(const codec::Manifest& m) {
  std::uint64_t n = 0;
  for (const auto& s : m.segments)
    n += s.bytes;
  return n;
}

}  // namespace

TEST_CASE("decoded recording matches the frames fed, at their times", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s1";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(640, 360);
  std::vector<Fed> fed;
  {
    auto rec = codec::Recorder::start(test::test_options(dir), observer);
    Rect all{0, 0, 640, 360};
    rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
    fed.push_back({SessionTime(0), desk.copy()});
    for (int i = 1; i <= 15; ++i) {
      Rect r = desk.type_char(i, 2, static_cast<char>('a' + i));
      SessionTime t(i * 200);
      rec->on_frame(desk.view(), {&r, 1}, t);
      fed.push_back({t, desk.copy()});
    }
    auto summary = rec->stop("client-disconnect", SessionTime(4000));
    CHECK(summary.complete);
    CHECK(summary.duration == milliseconds(4000));
  }
  auto frames = codec::FrameDecoder::decode_session(dir);
  REQUIRE(!frames.empty());
  CHECK(frames.front().pts == SessionTime(0));
  CHECK(frames.front().keyframe);
  // The timeline is contiguous and ends when the session ended.
  for (std::size_t i = 0; i + 1 < frames.size(); ++i)
    CHECK((frames[i].pts + frames[i].duration) == frames[i + 1].pts);
  CHECK((frames.back().pts + frames.back().duration) == SessionTime(4000));
  for (const auto& f : fed) {
    const codec::DecodedFrame* shown = codec::frame_at(frames, f.t);
    REQUIRE(shown != nullptr);
    CHECK(shown->pts == f.t);
    auto original = view_of(f.pixels, 640, 360);
    CHECK(test::psnr(shown->view(), original) > 32.0);
    CHECK(test::ssim(shown->view(), original) > 0.97);
  }
  auto m = codec::Manifest::load(dir);
  CHECK(m.complete);
  CHECK(m.end_reason == "client-disconnect");
  CHECK(m.duration_ms == 4000);
  REQUIRE(m.segments.size() == 1);
  CHECK(m.segments[0].start == SessionTime(0));
  CHECK(m.segments[0].duration == milliseconds(4000));
  CHECK(observer.segments.size() == 1);
  CHECK(observer.failures.empty());
}

TEST_CASE("frames are emitted at most max_fps, and the last change is never lost", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(320, 240);
  auto opts = test::test_options(dir);
  opts.max_fps = 10;
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 320, 240};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  std::vector<std::uint8_t> before_last;
  Rect last_cell;
  for (int i = 1; i <= 200; ++i) {  // a change every 10 ms for 2 s
    if (i == 200) before_last = desk.copy();
    Rect r = desk.type_char(i % 30, 3 + i / 30, static_cast<char>('A' + i % 26));
    last_cell = r;
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 10));
  }
  rec->stop("end", SessionTime(2500));
  auto frames = codec::FrameDecoder::decode_session(dir);
  CHECK(frames.size() <= 2000 / 100 + 1 + 1);  // the cap, plus one repeat after the flush
  CHECK(frames.size() >= 15);
  // The last glyph typed is there: inside its cell the final picture is far closer to the
  // last input than to the input before it.
  auto last = desk.copy();
  auto cell_difference = [&](const std::vector<std::uint8_t>& expected) {
    auto a = test::luma_of(frames.back().view());
    auto b = test::luma_of(view_of(expected, 320, 240));
    double sum = 0;
    for (int y = last_cell.y; y < last_cell.bottom(); ++y)
      for (int x = last_cell.x; x < last_cell.right(); ++x)
        sum += std::abs(int{a[y * 320 + x]} - int{b[y * 320 + x]});
    return sum / (last_cell.width * last_cell.height);
  };
  const double to_last = cell_difference(last);
  const double to_before = cell_difference(before_last);
  INFO("cell difference to the last input " << to_last << ", to the one before " << to_before);
  CHECK(to_last * 3 < to_before);
  CHECK(test::ssim(frames.back().view(), view_of(last, 320, 240)) > 0.97);
}

TEST_CASE("an idle session costs almost nothing and keeps one keyframe", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(1280, 720);
  auto rec = codec::Recorder::start(test::test_options(dir), observer);
  Rect all{0, 0, 1280, 720};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  rec->stop("end", SessionTime(1000));
  auto first_only = codec::Manifest::load(dir);
  const std::uint64_t keyframe_bytes = segment_bytes(first_only);

  auto dir2 = tmp / "s2";
  auto rec2 = codec::Recorder::start(test::test_options(dir2), observer);
  rec2->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  // A clock that changes once a minute for an hour, like a taskbar clock.
  for (int minute = 1; minute <= 60; ++minute) {
    Rect r = desk.type_char(70, 40, static_cast<char>('0' + minute % 10));
    rec2->on_frame(desk.view(), {&r, 1}, SessionTime(minute * 60000));
  }
  rec2->stop("end", SessionTime(3600000 + 30000));
  auto m = codec::Manifest::load(dir2);
  const std::uint64_t extra = segment_bytes(m) - keyframe_bytes;
  INFO("keyframe " << keyframe_bytes << " B, one hour of clock ticks " << extra << " B");
  CHECK(extra < 60 * 600);  // well under 1 KB per minute
  CHECK(m.duration_ms == 3630000);
  // The hour is covered by segments without a keyframe every 30 s: at most one per 10 min.
  CHECK(m.segments.size() <= 7);
}

TEST_CASE("every segment starts with a keyframe and segments tile the timeline", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(320, 240);
  auto opts = test::test_options(dir);
  opts.segment_seconds = 1;  // 10 frames per segment at 10 fps
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 320, 240};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  for (int i = 1; i < 35; ++i) {
    Rect r = desk.type_char(i, 1, 'x');
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 100));
  }
  rec->stop("end", SessionTime(3600));
  auto m = codec::Manifest::load(dir);
  REQUIRE(m.segments.size() >= 3);
  REQUIRE(observer.segments.size() == m.segments.size());
  auto init = codec::read_file(dir / m.inits[0].file);
  SessionTime expected_start(0);
  std::string previous = m.inits[0].sha256;
  for (const auto& s : m.segments) {
    auto bytes = codec::read_file(dir / s.file);
    CHECK(s.bytes == bytes.size());
    CHECK(s.sha256 == codec::sha256_hex(bytes));
    CHECK(s.chain == codec::chain_link(previous, s.sha256));
    previous = s.chain;
    CHECK(s.start == expected_start);
    expected_start = s.start + s.duration;
    auto frames = codec::FrameDecoder::decode(init, {bytes});
    REQUIRE(!frames.empty());
    CHECK(frames.front().keyframe);
    CHECK(frames.front().pts == s.start);
  }
  CHECK(expected_start == SessionTime(3600));
}

TEST_CASE("a full queue merges updates without losing pixels", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(1920, 1080);
  auto opts = test::test_options(dir);
  opts.queue_frames = 1;
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 1920, 1080};
  for (int i = 0; i < 60; ++i) {
    desk.fill({0, 0, 1920, 1080}, static_cast<std::uint8_t>(i * 4), 100, 200);
    desk.type_char(i, 5, 'q');
    rec->on_frame(desk.view(), {&all, 1}, SessionTime(i * 100));
  }
  auto before_stop = rec->counters();
  rec->stop("end", SessionTime(6100));
  auto c = rec->counters();
  CHECK(c.updates_received == 60);
  CHECK(before_stop.updates_merged > 0);
  CHECK(c.frames_encoded + c.updates_merged >= 60);
  auto frames = codec::FrameDecoder::decode_session(dir);
  CHECK(test::psnr(frames.back().view(), desk.view()) > 32.0);
}

TEST_CASE("the cursor is drawn and what was under it comes back", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(320, 240);
  auto rec = codec::Recorder::start(test::test_options(dir), observer);
  codec::CursorImage cursor;
  cursor.width = cursor.height = 16;
  cursor.bgra.assign(16 * 16 * 4, 0);
  for (int i = 0; i < 16 * 16; ++i) {
    cursor.bgra[i * 4 + 2] = 255;  // opaque red
    cursor.bgra[i * 4 + 3] = 255;
  }
  Rect all{0, 0, 320, 240};
  rec->on_cursor_shape(cursor, SessionTime(0));
  rec->on_cursor_position(100, 100, SessionTime(0));
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  rec->on_cursor_position(200, 150, SessionTime(500));
  rec->stop("end", SessionTime(1000));
  auto frames = codec::FrameDecoder::decode_session(dir);
  auto at = [](const codec::DecodedFrame& f, int x, int y) {
    return f.bgrx.data() + (y * f.width + x) * 4;
  };
  const auto* first = codec::frame_at(frames, SessionTime(0));
  const auto* moved = codec::frame_at(frames, SessionTime(500));
  REQUIRE(first);
  REQUIRE(moved);
  CHECK(at(*first, 108, 108)[2] > 200);  // red under the cursor
  CHECK(at(*first, 108, 108)[1] < 60);
  CHECK(at(*moved, 208, 158)[2] > 200);
  CHECK(at(*moved, 108, 108)[1] > 200);  // the window's white is back
}

TEST_CASE("a desktop resize starts a new header and segment", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop small(320, 240), large(480, 270);
  auto rec = codec::Recorder::start(test::test_options(dir), observer);
  Rect a{0, 0, 320, 240}, b{0, 0, 480, 270};
  rec->on_frame(small.view(), {&a, 1}, SessionTime(0));
  rec->on_resize(480, 270, SessionTime(1000));
  rec->on_frame(large.view(), {&b, 1}, SessionTime(1000));
  rec->stop("end", SessionTime(2000));
  auto m = codec::Manifest::load(dir);
  REQUIRE(m.inits.size() == 2);
  CHECK(m.inits[1].file == "init-2.mp4");
  CHECK(m.inits[1].width == 480);
  REQUIRE(m.segments.size() == 2);
  CHECK(m.segments[1].init_file == "init-2.mp4");
  CHECK(m.segments[0].duration == milliseconds(1000));
  auto frames = codec::FrameDecoder::decode_session(dir);
  REQUIRE(frames.size() == 2);
  CHECK(frames[1].width == 480);
  CHECK(frames[1].pts == SessionTime(1000));
  auto events = test::read_text(dir / "events.jsonl");
  CHECK(events.find("\"kind\":\"resize\"") != std::string::npos);
}

TEST_CASE("thumbnails are written every thumbnail_seconds of changing screen", "[recorder]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(640, 360);
  auto opts = test::test_options(dir);
  opts.thumbnail_seconds = 2;
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 640, 360};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  for (int i = 1; i <= 50; ++i) {
    Rect r = desk.type_char(i, 4, 'm');
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 100));
  }
  rec->stop("end", SessionTime(5000));
  auto m = codec::Manifest::load(dir);
  REQUIRE(m.thumbnails.size() == 3);  // at 0, 2000, 4000
  CHECK(m.thumbnails[1].t == 2000);
  CHECK(m.thumbnail_width == 256);
  CHECK(m.thumbnail_height == 144);
  auto jpeg = codec::read_file(dir / m.thumbnails[0].file);
  REQUIRE(jpeg.size() > 100);
  CHECK(jpeg[0] == 0xFF);
  CHECK(jpeg[1] == 0xD8);
}

TEST_CASE("a live subscriber gets an init and decodable per-frame fragments", "[recorder]") {
  struct Live : codec::LiveSubscriber {
    std::vector<std::uint8_t> init;
    std::vector<std::vector<std::uint8_t>> fragments;
    std::vector<bool> keys;
    std::vector<SessionTime> times;
    std::string codec;
    void on_live_init(std::span<const std::byte> i, std::string_view c, int, int) override {
      init.assign(reinterpret_cast<const std::uint8_t*>(i.data()),
                  reinterpret_cast<const std::uint8_t*>(i.data()) + i.size());
      codec = c;
    }
    void on_live_fragment(std::span<const std::byte> f, SessionTime t, bool key) override {
      times.push_back(t);
      fragments.emplace_back(reinterpret_cast<const std::uint8_t*>(f.data()),
                             reinterpret_cast<const std::uint8_t*>(f.data()) + f.size());
      keys.push_back(key);
    }
  };
  test::TempDir tmp;
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(320, 240);
  auto live = std::make_shared<Live>();
  auto rec = codec::Recorder::start(test::test_options(tmp / "s"), observer);
  Rect all{0, 0, 320, 240};
  for (int i = 0; i < 5; ++i) {
    Rect r = i == 0 ? all : desk.type_char(i, 1, 'z');
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 200));
  }
  // Joining mid-session: the viewer gets a keyframe without waiting for a change.
  rec->set_live_subscriber(live);
  for (int i = 5; i < 10; ++i) {
    Rect r = desk.type_char(i, 1, 'z');
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 200 + 5000));
  }
  rec->stop("end", SessionTime(8000));
  REQUIRE(!live->init.empty());
  CHECK(live->codec.rfind("avc1.", 0) == 0);
  REQUIRE(live->fragments.size() >= 6);
  CHECK(live->keys.front());
  auto frames = codec::FrameDecoder::decode(live->init, live->fragments);
  CHECK(frames.size() == live->fragments.size());
  // Each fragment's decode time is the frame's session time (for the live edge).
  for (std::size_t i = 0; i < live->fragments.size(); ++i) {
    auto scan = codec::scan_fragments(live->fragments[i]);
    REQUIRE(scan.fragments.size() == 1);
    CHECK(scan.fragments[0].decode_time == live->times[i].count());
    CHECK(frames[i].pts == live->times[i]);
  }
  CHECK(test::psnr(frames.back().view(), desk.view()) > 32.0);
}
