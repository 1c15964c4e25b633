// libx264 with constant-macroblock hints: x264 really skips what the canvas reports unchanged,
// and the canvas's reports never leave a stale block in the decoded picture.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <catch2/catch.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>

#include "fmp4_muxer.hpp"
#include "h264_encoder.hpp"
#include "image_compare.hpp"
#include "synthetic_desktop.hpp"
#include "yuv_canvas.hpp"

using namespace rdpwarden;
using codec::Rect;

namespace {

constexpr int kW = 640;
constexpr int kH = 360;

// Encodes pictures and decodes them back through the fMP4 muxer and the FrameDecoder.
class RoundTrip {
 public:
  explicit RoundTrip(const codec::EncoderSettings& settings = {})
      : encoder_(kW, kH, 10, settings), muxer_(encoder_.stream()) {}

  void encode(const AVFrame& picture, bool idr, std::span<const std::uint8_t> changed) {
    auto frame = encoder_.encode(picture, pts_, idr, {changed, {}});
    CHECK(frame.keyframe == idr);
    muxer_.add(frame, 100);
    pts_ += 100;
  }

  std::vector<codec::DecodedFrame> decode() {
    return codec::FrameDecoder::decode(muxer_.init(), {muxer_.flush()});
  }

  codec::H264Encoder& encoder() { return encoder_; }

 private:
  codec::H264Encoder encoder_;
  codec::Fmp4Muxer muxer_;
  std::int64_t pts_ = 0;
};

codec::FrameView view_of(const std::vector<std::uint8_t>& bgrx) {
  return {bgrx.data(), kW, kH, kW * 4};
}

}  // namespace

TEST_CASE("the canvas reports exactly the macroblocks whose pixels changed", "[encoder]") {
  test::SyntheticDesktop desk(kW, kH);
  codec::YuvCanvas canvas(kW, kH);
  Rect all{0, 0, kW, kH};
  canvas.apply_patch(all, desk.view().pixels, kW * 4);
  canvas.render();
  auto marked = [&] {
    auto m = canvas.rendered_macroblocks();
    return std::count(m.begin(), m.end(), std::uint8_t{1});
  };
  // The same pixels again, reported as a whole dirty frame: nothing to encode.
  canvas.apply_patch(all, desk.view().pixels, kW * 4);
  CHECK_FALSE(canvas.dirty());
  canvas.render();
  CHECK(marked() == 0);
  // One glyph cell, reported as a coarse 128x128 tile: exactly the blocks with a changed pixel.
  auto before = desk.copy();
  desk.type_char(3, 2, 'q');
  canvas.apply_patch({0, 0, 128, 128}, desk.view().pixels, kW * 4);
  CHECK(canvas.dirty());
  canvas.render();
  auto after = desk.copy();
  std::vector<std::uint8_t> expected(canvas.rendered_macroblocks().size(), 0);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      auto i = (static_cast<std::size_t>(y) * kW + x) * 4;
      if (std::memcmp(&before[i], &after[i], 4) != 0)
        expected[static_cast<std::size_t>(y / 16) * canvas.mb_columns() + x / 16] = 1;
    }
  CHECK(std::count(expected.begin(), expected.end(), std::uint8_t{1}) >= 1);
  CHECK(std::equal(expected.begin(), expected.end(), canvas.rendered_macroblocks().begin()));
  // A single pixel on a block corner changes one block; the next render reports none again.
  std::vector<std::uint8_t> pixel{1, 2, 3, 0};
  canvas.apply_patch({48, 64, 1, 1}, pixel.data(), 4);
  canvas.render();
  CHECK(marked() == 1);
  CHECK(canvas.rendered_macroblocks()[4 * canvas.mb_columns() + 3] == 1);
  canvas.render();
  CHECK(marked() == 0);
}

TEST_CASE("x264 skips macroblocks hinted constant (the hint is honoured)", "[encoder]") {
  // A wrong hint must show: if x264 ignored the hints, the CPU saving would be fictional and
  // the stale-picture test below could not fail. (x264 trusts a hint only where the reference
  // block was coded at a quantizer no worse than this frame's: the encoder keeps the
  // quantizer steady, qcomp=1, so that holds.)
  test::SyntheticDesktop desk(kW, kH);
  codec::YuvCanvas canvas(kW, kH);
  Rect all{0, 0, kW, kH};
  canvas.apply_patch(all, desk.view().pixels, kW * 4);
  RoundTrip rt;
  rt.encode(canvas.render(), true, canvas.rendered_macroblocks());
  for (int i = 0; i < 3; ++i) {
    Rect r = desk.fill({160 + 64 * i, 96, 64, 64}, 0, 0, 0);  // black on the white window
    canvas.apply_patch(r, desk.view().pixels + (r.y * kW + r.x) * 4, kW * 4);
    canvas.render();
    std::vector<std::uint8_t> lie(canvas.rendered_macroblocks().size(), 0);  // "nothing changed"
    rt.encode(canvas.picture(), false, lie);
  }
  auto frames = rt.decode();
  REQUIRE(frames.size() == 4);
  CHECK(test::worst_block_difference(frames.back().view(), desk.view()) > 100.0);
}

// The luma plane the encoder was given, as grey BGRX (full range), comparable through
// test::luma_of with a decoded frame.
std::vector<std::uint8_t> grey_of(const AVFrame& picture) {
  std::vector<std::uint8_t> bgrx(static_cast<std::size_t>(kW) * kH * 4);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      int v = (picture.data[0][y * picture.linesize[0] + x] - 16) * 255 / 219;
      auto g = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
      std::uint8_t* px = &bgrx[(static_cast<std::size_t>(y) * kW + x) * 4];
      px[0] = px[1] = px[2] = g;
    }
  return bgrx;
}

TEST_CASE("constant-macroblock hints never leave a stale picture", "[encoder]") {
  test::SyntheticDesktop desk(kW, kH);
  codec::YuvCanvas canvas(kW, kH);
  Rect all{0, 0, kW, kH};
  canvas.apply_patch(all, desk.view().pixels, kW * 4);
  RoundTrip rt;
  std::vector<std::vector<std::uint8_t>> given;  // what the encoder was given, frame by frame
  rt.encode(canvas.render(), true, canvas.rendered_macroblocks());
  given.push_back(grey_of(canvas.picture()));
  // Typing across block boundaries, scrolls, a window, one-pixel changes and the cursor moving
  // over all of it, each update reported as a coarse rectangle around it (as tile-based
  // targets do), so the canvas has to find the changed blocks itself.
  codec::CursorImage arrow;
  arrow.width = 12;
  arrow.height = 19;
  arrow.bgra.assign(12 * 19 * 4, 255);
  canvas.set_cursor(arrow);
  std::uint8_t dot[4] = {0, 0, 255, 0};
  for (int step = 0; step < 60; ++step) {
    Rect r;
    if (step % 20 == 10) {
      r = desk.scroll(1);
    } else if (step % 20 == 15) {
      r = desk.fill({200 + step, 120, 150, 90}, 40, 90, static_cast<std::uint8_t>(step * 4));
    } else {
      r = desk.type_char(1 + step % 40, 3 + step / 20, static_cast<char>('A' + step % 26));
    }
    Rect coarse =
        codec::intersect({r.x / 64 * 64, r.y / 64 * 64, r.width + 64, r.height + 64}, all);
    canvas.apply_patch(coarse, desk.view().pixels + (coarse.y * kW + coarse.x) * 4, kW * 4);
    if (step % 7 == 3) {
      Rect p{(step * 37) % kW, (step * 23) % kH, 1, 1};
      desk.fill(p, dot[0], dot[1], dot[2]);
      canvas.apply_patch(p, dot, 4);
    }
    canvas.set_cursor_position((step * 53) % kW, (step * 31) % kH);
    rt.encode(canvas.render(), false, canvas.rendered_macroblocks());
    given.push_back(grey_of(canvas.picture()));
  }
  auto frames = rt.decode();
  REQUIRE(frames.size() == given.size());
  double worst = 0;
  for (std::size_t i = 0; i < frames.size(); ++i)
    worst = std::max(worst, test::worst_block_difference(frames[i].view(), view_of(given[i])));
  // Coding noise stays well below a stale glyph or window block (the test above: > 100).
  CHECK(worst < 20.0);
}
