#include "rdp/framebuffer.hpp"
#include <algorithm>
#include <cstring>

namespace rdpwarden::server::rdp {

void Framebuffer::resize(int width, int height) {
  width = std::max(0, width);
  height = std::max(0, height);
  if (width == width_ && height == height_) return;
  width_ = width;
  height_ = height;
  pixels_.assign(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 4, 0);
}

void Framebuffer::copy_from(const std::uint8_t* src, int src_stride, int src_width, int src_height,
                            const codec::Rect& rect) {
  const codec::Rect r =
      codec::intersect(codec::intersect(rect, bounds()), {0, 0, src_width, src_height});
  if (r.empty() || !src) return;
  const auto bytes = static_cast<std::size_t>(r.width) * 4;
  for (int y = r.y; y < r.bottom(); ++y) {
    std::memcpy(pixels_.data() + static_cast<std::ptrdiff_t>(y) * stride() + r.x * 4,
                src + static_cast<std::ptrdiff_t>(y) * src_stride + r.x * 4, bytes);
  }
}

void Framebuffer::fill(const codec::Rect& rect, std::uint32_t bgrx) {
  const codec::Rect r = codec::intersect(rect, bounds());
  if (r.empty()) return;
  const std::uint8_t px[4] = {static_cast<std::uint8_t>(bgrx & 0xff),
                              static_cast<std::uint8_t>((bgrx >> 8) & 0xff),
                              static_cast<std::uint8_t>((bgrx >> 16) & 0xff), 0xff};
  for (int y = r.y; y < r.bottom(); ++y) {
    auto* row = pixels_.data() + static_cast<std::ptrdiff_t>(y) * stride() + r.x * 4;
    for (int x = 0; x < r.width; ++x)
      std::memcpy(row + x * 4, px, 4);
  }
}

}  // namespace rdpwarden::server::rdp

namespace rdpwarden::server::rdp {

bool Framebuffer::differs(const std::uint8_t* src, int src_stride, const codec::Rect& rect) const {
  const codec::Rect r = codec::intersect(rect, bounds());
  const auto bytes = static_cast<std::size_t>(r.width) * 4;
  for (int y = r.y; y < r.bottom(); ++y) {
    // The fourth byte of BGRX is padding the decoder may leave as anything: compare pixels
    // without it would cost more than the rare false "changed" it avoids.
    if (std::memcmp(pixels_.data() + static_cast<std::ptrdiff_t>(y) * stride() + r.x * 4,
                    src + static_cast<std::ptrdiff_t>(y) * src_stride + r.x * 4, bytes) != 0)
      return true;
  }
  return false;
}

}  // namespace rdpwarden::server::rdp
