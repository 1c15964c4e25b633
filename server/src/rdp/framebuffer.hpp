#pragma once
// A 32-bit BGRX pixel buffer that owns its memory (the layout of codec::FrameView).

#include <cstdint>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::server::rdp {

class Framebuffer {
 public:
  // Resizes and clears to black; a no-op when the size is unchanged.
  void resize(int width, int height);
  int width() const { return width_; }
  int height() const { return height_; }
  int stride() const { return width_ * 4; }
  std::uint8_t* data() { return pixels_.data(); }
  const std::uint8_t* data() const { return pixels_.data(); }
  codec::FrameView view() const { return {pixels_.data(), width_, height_, stride()}; }
  codec::Rect bounds() const { return {0, 0, width_, height_}; }

  // Copies `rect` (clipped to both buffers) from a source with the same pixel layout.
  void copy_from(const std::uint8_t* src, int src_stride, int src_width, int src_height,
                 const codec::Rect& rect);
  void copy_from(const Framebuffer& src, const codec::Rect& rect) {
    copy_from(src.data(), src.stride(), src.width(), src.height(), rect);
  }
  void fill(const codec::Rect& rect, std::uint32_t bgrx);
  // Whether `rect` (inside this buffer) differs from the same rectangle of `src` (same layout).
  bool differs(const std::uint8_t* src, int src_stride, const codec::Rect& rect) const;

 private:
  int width_ = 0;
  int height_ = 0;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace rdpwarden::server::rdp
