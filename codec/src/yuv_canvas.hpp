#pragma once
// The recorder's picture of the session: a BGRX copy of the gateway's framebuffer (updated
// from queued dirty patches) and the I420 picture the encoder reads, kept in step by
// converting only changed 16x16 macroblocks. The cursor is drawn into the I420 picture only,
// so moving it restores what was under it from the BGRX copy.
//
// Changes are tracked per macroblock by comparing a patch with the pixels it replaces: a
// gateway's dirty rectangles are often coarse (64x64 tiles, whole windows), and the encoder
// skips the analysis of every macroblock that render() reports unchanged.

#include <cstdint>
#include <optional>
#include <span>
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
  // only, top-left at rect.x/rect.y) into the BGRX copy and marks the macroblocks whose
  // pixels it changed.
  void apply_patch(const Rect& rect, const std::uint8_t* pixels, int stride);

  void set_cursor(const CursorImage& cursor);
  void set_cursor_position(int x, int y);
  void set_cursor_visible(bool visible);

  // True when the picture differs from the last render().
  bool dirty() const { return pending_count_ > 0 || cursor_moved_; }
  // Brings the I420 picture up to date (changed macroblocks, then the cursor) and clears the
  // changed set. Returns the picture.
  const AVFrame& render();
  const AVFrame& picture() const { return *yuv_; }
  const std::vector<std::uint8_t>& bgrx() const { return bgrx_; }

  // Macroblocks (16x16, row-major, mb_columns() per row) of the I420 picture that the last
  // render() rewrote: non-zero where the picture may differ from the one before it.
  std::span<const std::uint8_t> rendered_macroblocks() const { return rendered_; }
  // The vertical scroll the last render() found in the changed area (scroll_detector.hpp).
  std::optional<int> rendered_scroll() const { return scroll_; }
  int mb_columns() const { return mb_columns_; }
  int mb_rows() const { return mb_rows_; }

 private:
  void convert(const Rect& rect);  // BGRX copy -> I420, even-aligned rect
  void convert_pending();
  Rect pending_bounds() const;
  void mark_rendered(const Rect& rect);
  void draw_cursor(const Rect& area);
  Rect cursor_rect() const;

  int width_;
  int height_;
  int mb_columns_;
  int mb_rows_;
  std::vector<std::uint8_t> bgrx_;
  av::FramePtr yuv_;
  std::vector<std::uint8_t> pending_;  // per macroblock: changed since the last render()
  std::size_t pending_count_ = 0;
  std::vector<std::uint8_t> rendered_;  // per macroblock: rewritten by the last render()
  std::optional<int> scroll_;
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
// The luma of `n` BGRX pixels exactly as bgrx_to_i420 computes it.
void bgrx_to_luma_row(const std::uint8_t* src, int n, std::uint8_t* out);

}  // namespace rdpwarden::codec
