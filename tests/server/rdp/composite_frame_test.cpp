#include <vector>

#include <catch2/catch.hpp>

#include "rdp/composite_frame.hpp"

using namespace rdpwarden;
using namespace rdpwarden::server::rdp;

namespace {

struct RecordingSink final : codec::FrameSink {
  std::vector<std::vector<codec::Rect>> frames;
  std::vector<std::pair<int, int>> sizes;
  void on_frame(const codec::FrameView&, std::span<const codec::Rect> dirty,
                codec::SessionTime) override {
    frames.emplace_back(dirty.begin(), dirty.end());
  }
  void on_resize(int w, int h, codec::SessionTime) override { sizes.emplace_back(w, h); }
  void on_cursor_shape(const codec::CursorImage&, codec::SessionTime) override {}
  void on_cursor_position(int, int, codec::SessionTime) override {}
  void on_cursor_visible(bool, codec::SessionTime) override {}
};

std::vector<std::uint8_t> solid(int w, int h, std::uint8_t value) {
  return std::vector<std::uint8_t>(static_cast<std::size_t>(w * h * 4), value);
}

}  // namespace

TEST_CASE("the composite frame copies painted rectangles for the recorder and the client") {
  RecordingSink sink;
  SessionClock clock;
  int wakes = 0;
  CompositeFrame frame(sink, clock, [&] { ++wakes; });
  frame.resize(256, 128);
  CHECK(sink.sizes == std::vector<std::pair<int, int>>{{256, 128}});
  CHECK_FALSE(frame.painted());

  const auto target = solid(256, 128, 0x7f);
  const codec::Rect changed[] = {{10, 10, 20, 20}, {300, 0, 10, 10}};
  frame.paint(target.data(), 256 * 4, 256, 128, changed);
  REQUIRE(sink.frames.size() == 1);
  CHECK(sink.frames[0] == std::vector<codec::Rect>{{10, 10, 20, 20}});  // clipped, empty dropped
  CHECK(frame.painted());
  CHECK(wakes >= 2);

  Framebuffer user;
  auto update = frame.take(user);
  CHECK(update.resized);
  CHECK(user.width() == 256);
  // The whole new picture goes to the client once, tile-aligned.
  CHECK(update.rects == std::vector<codec::Rect>{{0, 0, 256, 128}});
  CHECK(user.data()[(15 * 256 + 15) * 4] == 0x7f);
  CHECK(frame.take(user).rects.empty());

  frame.mark_for_user({70, 70, 1, 1});
  CHECK(frame.take(user).rects == std::vector<codec::Rect>{{64, 64, 64, 64}});
}

TEST_CASE("the composite frame keeps only what really changed in an over-reported update") {
  RecordingSink sink;
  SessionClock clock;
  CompositeFrame frame(sink, clock, [] {});
  frame.resize(256, 256);
  auto target = solid(256, 256, 0x20);
  const codec::Rect everything[] = {{0, 0, 256, 256}};
  frame.paint(target.data(), 256 * 4, 256, 256, everything);
  REQUIRE(sink.frames.size() == 1);
  Framebuffer user;
  frame.take(user);

  // The same full-screen update again: nothing changed, nothing to send or record.
  frame.paint(target.data(), 256 * 4, 256, 256, everything);
  CHECK(sink.frames.size() == 1);
  CHECK(frame.take(user).rects.empty());

  // One pixel changed inside a full-screen update: one tile goes out.
  target[(130 * 256 + 70) * 4] = 0xff;
  frame.paint(target.data(), 256 * 4, 256, 256, everything);
  REQUIRE(sink.frames.size() == 2);
  CHECK(sink.frames[1] == std::vector<codec::Rect>{{64, 128, 64, 64}});
  CHECK(frame.take(user).rects == std::vector<codec::Rect>{{64, 128, 64, 64}});
  CHECK(user.data()[(130 * 256 + 70) * 4] == 0xff);
}
