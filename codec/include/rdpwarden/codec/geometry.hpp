#pragma once
// Pixels and rectangles shared by the gateway and the recorder.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace rdpwarden::codec {

// Milliseconds since the session started, on the session's monotonic clock. Video timestamps
// and event timestamps use the same clock, so an event can be found in the video.
using SessionTime = std::chrono::milliseconds;

struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;

  bool empty() const { return width <= 0 || height <= 0; }
  int right() const { return x + width; }
  int bottom() const { return y + height; }
  bool operator==(const Rect&) const = default;
};

// The intersection of two rectangles (empty when they do not overlap).
Rect intersect(const Rect& a, const Rect& b);
// The smallest rectangle containing both (an empty operand is ignored).
Rect bounding_union(const Rect& a, const Rect& b);
// Grows `r` outward to even coordinates and sizes (4:2:0 chroma), clipped to width x height.
Rect align_even(const Rect& r, int width, int height);

// A read-only view of a 32-bit BGRX framebuffer (byte order B, G, R, X in memory), the format
// FreeRDP's gdi draws in (PIXEL_FORMAT_BGRX32).
struct FrameView {
  const std::uint8_t* pixels = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;  // bytes per row

  const std::uint8_t* row(int y) const { return pixels + static_cast<std::ptrdiff_t>(y) * stride; }
};

// A pointer shape as 32-bit BGRA with straight alpha, row-major, width * 4 bytes per row.
struct CursorImage {
  int width = 0;
  int height = 0;
  int hotspot_x = 0;
  int hotspot_y = 0;
  std::vector<std::uint8_t> bgra;
};

}  // namespace rdpwarden::codec
