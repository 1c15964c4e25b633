#include "yuv_canvas.hpp"
#include <algorithm>
#include <cstring>

#include "scroll_detector.hpp"

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
constexpr int kMb = 16;  // H.264 macroblock size
constexpr std::size_t kScrollMinBlocks = 24;

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

void bgrx_to_luma_row(const std::uint8_t* src, int n, std::uint8_t* out) {
  for (int x = 0; x < n; ++x)
    out[x] = luma(src[x * 4 + 2], src[x * 4 + 1], src[x * 4]);
}

YuvCanvas::YuvCanvas(int width, int height)
    : width_(width),
      height_(height),
      mb_columns_((width + kMb - 1) / kMb),
      mb_rows_((height + kMb - 1) / kMb),
      bgrx_(static_cast<std::size_t>(width) * height * 4, 0),
      yuv_(av::make_video_frame(AV_PIX_FMT_YUV420P, width, height)),
      pending_(static_cast<std::size_t>(mb_columns_) * mb_rows_, 1),
      pending_count_(pending_.size()),
      rendered_(pending_.size(), 0) {
  for (int y = 0; y < height; ++y)
    std::memset(yuv_->data[0] + static_cast<std::ptrdiff_t>(y) * yuv_->linesize[0], 16, width);
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < height / 2; ++y)
      std::memset(yuv_->data[p] + static_cast<std::ptrdiff_t>(y) * yuv_->linesize[p], 128,
                  width / 2);
}

void YuvCanvas::apply_patch(const Rect& rect, const std::uint8_t* pixels, int stride) {
  Rect r = intersect(rect, {0, 0, width_, height_});
  if (r.empty()) return;
  const std::uint8_t* src = pixels + static_cast<std::ptrdiff_t>(r.y - rect.y) * stride +
                            static_cast<std::ptrdiff_t>(r.x - rect.x) * 4;
  const int first_col = r.x / kMb;
  const int last_col = (r.right() - 1) / kMb;
  for (int y = 0; y < r.height; ++y) {
    const std::uint8_t* in = src + static_cast<std::ptrdiff_t>(y) * stride;
    std::uint8_t* out = bgrx_.data() + (static_cast<std::size_t>(r.y + y) * width_ + r.x) * 4;
    std::uint8_t* marks = &pending_[static_cast<std::size_t>((r.y + y) / kMb) * mb_columns_];
    // Compare before copying, one macroblock's span of the row at a time, skipping blocks
    // already known to have changed.
    for (int col = first_col; col <= last_col; ++col) {
      if (marks[col]) continue;
      const int x0 = std::max(r.x, col * kMb);
      const int x1 = std::min(r.right(), (col + 1) * kMb);
      const std::size_t off = static_cast<std::size_t>(x0 - r.x) * 4;
      if (std::memcmp(out + off, in + off, static_cast<std::size_t>(x1 - x0) * 4) != 0) {
        marks[col] = 1;
        ++pending_count_;
      }
    }
    std::memcpy(out, in, static_cast<std::size_t>(r.width) * 4);
  }
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

void YuvCanvas::mark_rendered(const Rect& rect) {
  Rect r = intersect(rect, {0, 0, width_, height_});
  if (r.empty()) return;
  for (int row = r.y / kMb; row <= (r.bottom() - 1) / kMb; ++row)
    for (int col = r.x / kMb; col <= (r.right() - 1) / kMb; ++col)
      rendered_[static_cast<std::size_t>(row) * mb_columns_ + col] = 1;
}

Rect YuvCanvas::pending_bounds() const {
  Rect box;
  for (int row = 0; row < mb_rows_; ++row)
    for (int col = 0; col < mb_columns_; ++col)
      if (pending_[static_cast<std::size_t>(row) * mb_columns_ + col])
        box = bounding_union(box, {col * kMb, row * kMb, kMb, kMb});
  return intersect(box, {0, 0, width_, height_});
}

void YuvCanvas::convert_pending() {
  // Runs of changed macroblocks along each macroblock row, converted as one rectangle.
  for (int row = 0; row < mb_rows_ && pending_count_ > 0; ++row) {
    std::uint8_t* marks = &pending_[static_cast<std::size_t>(row) * mb_columns_];
    for (int col = 0; col < mb_columns_;) {
      if (!marks[col]) {
        ++col;
        continue;
      }
      int end = col;
      while (end < mb_columns_ && marks[end]) {
        marks[end] = 0;
        rendered_[static_cast<std::size_t>(row) * mb_columns_ + end] = 1;
        --pending_count_;
        ++end;
      }
      convert({col * kMb, row * kMb, (end - col) * kMb, kMb});
      col = end;
    }
  }
}

const AVFrame& YuvCanvas::render() {
  std::fill(rendered_.begin(), rendered_.end(), 0);
  Rect cursor = cursor_rect();
  bool cursor_touched = cursor_moved_;
  // The cursor is redrawn when a changed block lies under its old or new place.
  for (const Rect& c : {drawn_cursor_, cursor}) {
    Rect r = intersect(c, {0, 0, width_, height_});
    if (r.empty() || cursor_touched) continue;
    for (int row = r.y / kMb; row <= (r.bottom() - 1) / kMb && !cursor_touched; ++row)
      for (int col = r.x / kMb; col <= (r.right() - 1) / kMb; ++col)
        if (pending_[static_cast<std::size_t>(row) * mb_columns_ + col]) cursor_touched = true;
  }
  // Only a change of many blocks can be a scroll worth telling the encoder about.
  scroll_.reset();
  if (pending_count_ >= kScrollMinBlocks)
    scroll_ = detect_vertical_scroll(*yuv_, bgrx_, width_, pending_bounds());
  convert_pending();
  if (cursor_touched) {
    convert(drawn_cursor_);  // restore what was under the old cursor
    mark_rendered(drawn_cursor_);
    if (!cursor.empty()) draw_cursor(align_even(cursor, width_, height_));
    drawn_cursor_ = align_even(cursor, width_, height_);
    mark_rendered(drawn_cursor_);
  }
  cursor_moved_ = false;
  return *yuv_;
}

}  // namespace rdpwarden::codec
