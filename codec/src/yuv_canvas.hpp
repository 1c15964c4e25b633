#pragma once
// The recorder's picture of the session: a BGRX copy of the gateway's framebuffer (updated
// from queued dirty patches) and the I420 picture the encoder reads, kept in step by
// converting only changed rectangles. The cursor is drawn into the I420 picture only, so
// moving it restores what was under it from the BGRX copy.

#include <cstdint>
#include <optional>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

#include "av_handles.hpp"

namespace rdpwarden::codec {

class YuvCanvas {
 public:
  YuvCanvas(int width, int height);  // black

  int width() const { return width_; }
  int height() const { return height_; }

  // Copies `rect` (clipped) from `pixels` (BGRX, `stride` bytes per row, the pixels of `rect`
  // only, top-left at rect.x/rect.y) into the BGRX copy and marks it changed.
  void apply_patch(const Rect& rect, const std::uint8_t* pixels, int stride);

  void set_cursor(const CursorImage& cursor);
  void set_cursor_position(int x, int y);
  void set_cursor_visible(bool visible);

  // True when the picture differs from the last render().
  bool dirty() const { return !changed_.empty() || cursor_moved_; }
  // Brings the I420 picture up to date (changed rectangles, then the cursor) and clears the
  // changed set. Returns the picture.
  const AVFrame& render();
  const AVFrame& picture() const { return *yuv_; }
  const std::vector<std::uint8_t>& bgrx() const { return bgrx_; }

 private:
  void convert(const Rect& rect);  // BGRX copy -> I420, even-aligned rect
  void draw_cursor(const Rect& area);
  Rect cursor_rect() const;

  int width_;
  int height_;
  std::vector<std::uint8_t> bgrx_;
  av::FramePtr yuv_;
  std::vector<Rect> changed_;
  CursorImage cursor_;
  int cursor_x_ = 0;
  int cursor_y_ = 0;
  bool cursor_visible_ = true;
  bool cursor_moved_ = false;
  Rect drawn_cursor_;  // where the cursor was drawn in the I420 picture last time
};

// BT.709 limited-range conversion of a width x height block of BGRX pixels (`src` is its
// top-left pixel; width, height, dst_x and dst_y even) into the I420 `yuv` at (dst_x, dst_y).
// Hand-written rather than libswscale because a swscale context is bound to one picture size
// while dirty rectangles change size every frame.
void bgrx_to_i420(const std::uint8_t* src, int stride, int width, int height, AVFrame& yuv,
                  int dst_x, int dst_y);

}  // namespace rdpwarden::codec
