// Vertical scroll detection and what it buys the encoder.
#include "scroll_detector.hpp"

#include <catch2/catch.hpp>

#include "h264_encoder.hpp"
#include "synthetic_desktop.hpp"
#include "yuv_canvas.hpp"

using namespace rdpwarden;
using codec::Rect;

namespace {

constexpr int kW = 640;
constexpr int kH = 480;

// A terminal full of text on the canvas, rendered: the encoder's previous picture.
void fill_text(test::SyntheticDesktop& desk, codec::YuvCanvas& canvas) {
  for (int row = 0; row < 27; ++row)
    for (int col = 0; col < 70; ++col)
      desk.type_char(col, row, static_cast<char>('!' + (row * 7 + col * 3) % 90));
  canvas.apply_patch({0, 0, kW, kH}, desk.view().pixels, kW * 4);
  canvas.render();
}

}  // namespace

TEST_CASE("a terminal scroll is found with its distance", "[scroll]") {
  test::SyntheticDesktop desk(kW, kH);
  codec::YuvCanvas canvas(kW, kH);
  fill_text(desk, canvas);
  for (int lines : {1, 3, 10}) {
    Rect r = desk.scroll(lines);  // text rows are 16 pixels apart
    canvas.apply_patch(r, desk.view().pixels + (r.y * kW + r.x) * 4, kW * 4);
    canvas.render();
    REQUIRE(canvas.rendered_scroll().has_value());
    CHECK(*canvas.rendered_scroll() == lines * 16);
  }
}

TEST_CASE("new text without a scroll is not taken for one", "[scroll]") {
  test::SyntheticDesktop desk(kW, kH);
  codec::YuvCanvas canvas(kW, kH);
  fill_text(desk, canvas);
  for (int row = 0; row < 27; ++row)
    for (int col = 0; col < 70; ++col)
      desk.type_char(col, row, static_cast<char>('!' + (row * 11 + col * 5) % 90));
  canvas.apply_patch({0, 0, kW, kH}, desk.view().pixels, kW * 4);
  canvas.render();
  CHECK_FALSE(canvas.rendered_scroll().has_value());
  // A window filled with one colour: flat rows say nothing about a shift.
  Rect r = desk.fill({100, 100, 300, 200}, 40, 40, 40);
  canvas.apply_patch(r, desk.view().pixels + (r.y * kW + r.x) * 4, kW * 4);
  canvas.render();
  CHECK_FALSE(canvas.rendered_scroll().has_value());
}

TEST_CASE("with the scroll known a scrolled screen costs a fraction of coding it anew",
          "[scroll]") {
  auto scrolled_frame_bytes = [](bool tell_encoder) {
    test::SyntheticDesktop desk(kW, kH);
    codec::YuvCanvas canvas(kW, kH);
    codec::H264Encoder encoder(kW, kH, 10, codec::EncoderSettings{});
    fill_text(desk, canvas);
    encoder.encode(canvas.picture(), 0, true, {canvas.rendered_macroblocks(), {}});
    Rect r = desk.scroll(8);  // 128 pixels: far outside the default search range
    canvas.apply_patch(r, desk.view().pixels + (r.y * kW + r.x) * 4, kW * 4);
    canvas.render();
    codec::PictureHints hints{canvas.rendered_macroblocks(), {}};
    if (tell_encoder) hints.scroll = canvas.rendered_scroll();
    return encoder.encode(canvas.picture(), 100, false, hints).data.size();
  };
  const auto blind = scrolled_frame_bytes(false);
  const auto told = scrolled_frame_bytes(true);
  INFO("scrolled frame: " << blind << " bytes without the hint, " << told << " with it");
  CHECK(told * 4 < blind);
}
