#include "render/canvas.hpp"

namespace rdpwarden::server::render {

void fill(Canvas canvas, const codec::Rect& rect, Rgb color) {
  shade(canvas, rect, color, 255);
}

void shade(Canvas canvas, const codec::Rect& rect, Rgb color, int alpha) {
  const auto r = codec::intersect(rect, canvas.bounds());
  if (r.empty() || !canvas.pixels) return;
  const int cb = static_cast<int>(color & 0xff);
  const int cg = static_cast<int>((color >> 8) & 0xff);
  const int cr = static_cast<int>((color >> 16) & 0xff);
  for (int y = r.y; y < r.bottom(); ++y) {
    auto* px = canvas.pixels + static_cast<std::ptrdiff_t>(y) * canvas.stride + r.x * 4;
    for (int x = 0; x < r.width; ++x, px += 4) {
      px[0] = static_cast<std::uint8_t>((cb * alpha + px[0] * (255 - alpha)) / 255);
      px[1] = static_cast<std::uint8_t>((cg * alpha + px[1] * (255 - alpha)) / 255);
      px[2] = static_cast<std::uint8_t>((cr * alpha + px[2] * (255 - alpha)) / 255);
      px[3] = 0xff;
    }
  }
}

}  // namespace rdpwarden::server::render
