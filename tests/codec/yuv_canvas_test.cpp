#include "yuv_canvas.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::codec;

TEST_CASE("BGRX to I420 uses BT.709 limited range", "[canvas]") {
  YuvCanvas canvas(4, 2);
  std::uint8_t pixels[4 * 2 * 4];
  for (int i = 0; i < 8; ++i) {
    bool white = i % 4 < 2;  // left half white, right half black
    pixels[i * 4 + 0] = pixels[i * 4 + 1] = pixels[i * 4 + 2] = white ? 255 : 0;
    pixels[i * 4 + 3] = 255;
  }
  canvas.apply_patch({0, 0, 4, 2}, pixels, 16);
  const AVFrame& f = canvas.render();
  CHECK(f.data[0][0] == 235);
  CHECK(f.data[0][3] == 16);
  CHECK(f.data[1][0] == 128);
  CHECK(f.data[2][1] == 128);
  std::uint8_t red[2 * 2 * 4] = {0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255};
  canvas.apply_patch({2, 0, 2, 2}, red, 8);
  const AVFrame& g = canvas.render();
  CHECK(g.data[0][2] == 63);   // 16 + 0.2126 * 219
  CHECK(g.data[2][1] == 240);  // Cr of pure red
  CHECK(g.data[0][0] == 235);  // untouched
}

TEST_CASE("patches are clipped to the canvas and odd rectangles cover their pixels", "[canvas]") {
  YuvCanvas canvas(8, 8);
  canvas.render();
  CHECK_FALSE(canvas.dirty());
  std::vector<std::uint8_t> white(16 * 16 * 4, 255);
  canvas.apply_patch({5, 5, 16, 16}, white.data(), 16 * 4);  // hangs over the edge
  CHECK(canvas.dirty());
  const AVFrame& f = canvas.render();
  CHECK(f.data[0][7 * f.linesize[0] + 7] == 235);
  CHECK(f.data[0][5 * f.linesize[0] + 5] == 235);
  CHECK(canvas.bgrx()[(0 * 8 + 0) * 4] == 0);
  CursorImage bad;
  bad.width = 100;
  bad.height = 100;  // no pixels: ignored rather than read out of bounds
  canvas.set_cursor(bad);
  canvas.set_cursor_position(4, 4);
  canvas.render();
}
