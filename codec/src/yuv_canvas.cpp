#include "yuv_canvas.hpp"
#include <algorithm>
#include <cstring>

namespace rdpwarden::codec {
namespace {

// BT.709, limited range, 8-bit fixed point (x 256); the chroma rows sum to zero so greys
// stay exactly neutral: Y = 16 + (47R + 157G + 16B)/256,
// Cb = 128 + (-26R - 86G + 112B)/256, Cr = 128 + (112R - 102G - 10B)/256.
inline std::uint8_t luma(int r, int g, int b) {
  return static_cast<std::uint8_t>(((47 * r + 157 * g + 16 * b + 128) >> 8) + 16);
}
inline std::uint8_t chroma_u(int r, int g, int b) {
  return static_cast<std::uint8_t>(((-26 * r - 86 * g + 112 * b + 128) >> 8) + 128);
}
inline std::uint8_t chroma_v(int r, int g, int b) {
  return static_cast<std::uint8_t>(((112 * r - 102 * g - 10 * b + 128) >> 8) + 128);
}

}  // namespace

void bgrx_to_i420(const std::uint8_t* src, int stride, int width, int height, AVFrame& yuv,
                  int dst_x, int dst_y) {
  for (int y = 0; y + 1 < height; y += 2) {
    const std::uint8_t* row0 = src + static_cast<std::ptrdiff_t>(y) * stride;
    const std::uint8_t* row1 = row0 + stride;
    const int dy = dst_y + y;
    std::uint8_t* y0 = yuv.data[0] + static_cast<std::ptrdiff_t>(dy) * yuv.linesize[0] + dst_x;
    std::uint8_t* y1 = y0 + yuv.linesize[0];
    std::uint8_t* u =
        yuv.data[1] + static_cast<std::ptrdiff_t>(dy / 2) * yuv.linesize[1] + dst_x / 2;
    std::uint8_t* v =
        yuv.data[2] + static_cast<std::ptrdiff_t>(dy / 2) * yuv.linesize[2] + dst_x / 2;
    for (int x = 0; x + 1 < width; x += 2) {
      const std::uint8_t* p00 = row0 + x * 4;
      const std::uint8_t* p01 = p00 + 4;
      const std::uint8_t* p10 = row1 + x * 4;
      const std::uint8_t* p11 = p10 + 4;
      y0[x] = luma(p00[2], p00[1], p00[0]);
      y0[x + 1] = luma(p01[2], p01[1], p01[0]);
      y1[x] = luma(p10[2], p10[1], p10[0]);
      y1[x + 1] = luma(p11[2], p11[1], p11[0]);
      int r = (p00[2] + p01[2] + p10[2] + p11[2] + 2) >> 2;
      int g = (p00[1] + p01[1] + p10[1] + p11[1] + 2) >> 2;
      int b = (p00[0] + p01[0] + p10[0] + p11[0] + 2) >> 2;
      u[x / 2] = chroma_u(r, g, b);
      v[x / 2] = chroma_v(r, g, b);
    }
  }
}

YuvCanvas::YuvCanvas(int width, int height)
    : width_(width),
      height_(height),
      bgrx_(static_cast<std::size_t>(width) * height * 4, 0),
      yuv_(av::make_video_frame(AV_PIX_FMT_YUV420P, width, height)) {
  for (int y = 0; y < height; ++y)
    std::memset(yuv_->data[0] + static_cast<std::ptrdiff_t>(y) * yuv_->linesize[0], 16, width);
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < height / 2; ++y)
      std::memset(yuv_->data[p] + static_cast<std::ptrdiff_t>(y) * yuv_->linesize[p], 128,
                  width / 2);
  changed_.push_back({0, 0, width, height});
}

void YuvCanvas::apply_patch(const Rect& rect, const std::uint8_t* pixels, int stride) {
  Rect r = intersect(rect, {0, 0, width_, height_});
  if (r.empty()) return;
  const std::uint8_t* src = pixels + static_cast<std::ptrdiff_t>(r.y - rect.y) * stride +
                            static_cast<std::ptrdiff_t>(r.x - rect.x) * 4;
  for (int y = 0; y < r.height; ++y) {
    std::memcpy(bgrx_.data() + (static_cast<std::size_t>(r.y + y) * width_ + r.x) * 4,
                src + static_cast<std::ptrdiff_t>(y) * stride,
                static_cast<std::size_t>(r.width) * 4);
  }
  changed_.push_back(r);
}

void YuvCanvas::set_cursor(const CursorImage& cursor) {
  // A shape from the target is untrusted: ignore one whose pixels do not match its size.
  const bool valid =
      cursor.width > 0 && cursor.height > 0 && cursor.width <= 512 && cursor.height <= 512 &&
      cursor.bgra.size() >= static_cast<std::size_t>(cursor.width) * cursor.height * 4;
  cursor_ = valid ? cursor : CursorImage{};
  cursor_moved_ = true;
}

void YuvCanvas::set_cursor_position(int x, int y) {
  if (x == cursor_x_ && y == cursor_y_) return;
  cursor_x_ = x;
  cursor_y_ = y;
  if (cursor_visible_ && cursor_.width > 0) cursor_moved_ = true;
}

void YuvCanvas::set_cursor_visible(bool visible) {
  if (visible == cursor_visible_) return;
  cursor_visible_ = visible;
  cursor_moved_ = true;
}

Rect YuvCanvas::cursor_rect() const {
  if (!cursor_visible_ || cursor_.width <= 0 || cursor_.height <= 0) return {};
  return intersect(
      {cursor_x_ - cursor_.hotspot_x, cursor_y_ - cursor_.hotspot_y, cursor_.width, cursor_.height},
      {0, 0, width_, height_});
}

void YuvCanvas::convert(const Rect& rect) {
  Rect r = align_even(rect, width_, height_);
  if (r.empty()) return;
  bgrx_to_i420(bgrx_.data() + (static_cast<std::size_t>(r.y) * width_ + r.x) * 4, width_ * 4,
               r.width, r.height, *yuv_, r.x, r.y);
}

void YuvCanvas::draw_cursor(const Rect& area) {
  // Blend the cursor over a copy of the BGRX pixels of `area`, then convert that copy.
  std::vector<std::uint8_t> tile(static_cast<std::size_t>(area.width) * area.height * 4);
  for (int y = 0; y < area.height; ++y)
    std::memcpy(tile.data() + static_cast<std::size_t>(y) * area.width * 4,
                bgrx_.data() + (static_cast<std::size_t>(area.y + y) * width_ + area.x) * 4,
                static_cast<std::size_t>(area.width) * 4);
  const int ox = cursor_x_ - cursor_.hotspot_x;
  const int oy = cursor_y_ - cursor_.hotspot_y;
  for (int y = 0; y < area.height; ++y) {
    int cy = area.y + y - oy;
    if (cy < 0 || cy >= cursor_.height) continue;
    for (int x = 0; x < area.width; ++x) {
      int cx = area.x + x - ox;
      if (cx < 0 || cx >= cursor_.width) continue;
      const std::uint8_t* c =
          &cursor_.bgra[(static_cast<std::size_t>(cy) * cursor_.width + cx) * 4];
      std::uint8_t* d = &tile[(static_cast<std::size_t>(y) * area.width + x) * 4];
      int a = c[3];
      for (int k = 0; k < 3; ++k)
        d[k] = static_cast<std::uint8_t>((c[k] * a + d[k] * (255 - a) + 127) / 255);
    }
  }
  bgrx_to_i420(tile.data(), area.width * 4, area.width, area.height, *yuv_, area.x, area.y);
}

const AVFrame& YuvCanvas::render() {
  Rect cursor = cursor_rect();
  bool cursor_touched = cursor_moved_;
  for (const Rect& r : changed_) {
    convert(r);
    if (!intersect(r, drawn_cursor_).empty() || !intersect(r, cursor).empty())
      cursor_touched = true;
  }
  changed_.clear();
  if (cursor_touched) {
    convert(drawn_cursor_);  // restore what was under the old cursor
    if (!cursor.empty()) draw_cursor(align_even(cursor, width_, height_));
    drawn_cursor_ = align_even(cursor, width_, height_);
  }
  cursor_moved_ = false;
  return *yuv_;
}

}  // namespace rdpwarden::codec
