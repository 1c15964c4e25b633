#pragma once
// What the gateway's paint thread hands to the recorder thread: copied pixels of the dirty
// rectangles plus cursor changes, stamped with the session time.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

struct Patch {
  Rect rect;
  std::vector<std::uint8_t> bgrx;  // rect.width * 4 bytes per row
};

struct VideoUpdate {
  SessionTime t{0};
  int frame_width = 0;  // the framebuffer size these patches belong to (0: unchanged)
  int frame_height = 0;
  std::vector<Patch> patches;
  std::optional<CursorImage> cursor_shape;
  std::optional<std::pair<int, int>> cursor_position;
  std::optional<bool> cursor_visible;

  std::size_t pixel_bytes() const {
    std::size_t n = 0;
    for (const auto& p : patches)
      n += p.bgrx.size();
    return n;
  }
};

}  // namespace rdpwarden::codec
