#include "synthetic_desktop.hpp"
#include <algorithm>
#include <cstring>

namespace rdpwarden::test {

namespace {
constexpr int kCellW = 8;
constexpr int kCellH = 16;
constexpr int kMargin = 16;
}  // namespace

SyntheticDesktop::SyntheticDesktop(int width, int height)
    : width_(width), height_(height), pixels_(static_cast<std::size_t>(width) * height * 4) {
  // A blue-grey background with a soft gradient, a white "terminal" window.
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = &pixels_[(static_cast<std::size_t>(y) * width + x) * 4];
      p[0] = static_cast<std::uint8_t>(120 + y * 60 / height);
      p[1] = static_cast<std::uint8_t>(80 + x * 40 / width);
      p[2] = 60;
      p[3] = 255;
    }
  }
  fill({kMargin, kMargin, width - 2 * kMargin, height - 2 * kMargin}, 250, 250, 250);
}

codec::Rect SyntheticDesktop::fill(const codec::Rect& r, std::uint8_t b, std::uint8_t g,
                                   std::uint8_t red) {
  codec::Rect c = codec::intersect(r, {0, 0, width_, height_});
  for (int y = c.y; y < c.bottom(); ++y) {
    for (int x = c.x; x < c.right(); ++x) {
      std::uint8_t* p = &pixels_[(static_cast<std::size_t>(y) * width_ + x) * 4];
      p[0] = b;
      p[1] = g;
      p[2] = red;
      p[3] = 255;
    }
  }
  return c;
}

codec::Rect SyntheticDesktop::type_char(int col, int row, char ch) {
  codec::Rect cell{kMargin + 4 + col * kCellW, kMargin + 4 + row * kCellH, kCellW, kCellH};
  cell = codec::intersect(cell, {0, 0, width_, height_});
  auto bits = static_cast<unsigned>(static_cast<unsigned char>(ch)) * 2654435761u;
  for (int y = cell.y; y < cell.bottom(); ++y) {
    for (int x = cell.x; x < cell.right(); ++x) {
      int gx = (x - cell.x) / 2, gy = (y - cell.y) / 3;
      bool on = ch != ' ' && ((bits >> ((gx + gy * 4) % 31)) & 1) && gy > 0 && gy < 5 && gx < 3;
      std::uint8_t v = on ? 20 : 250;
      std::uint8_t* p = &pixels_[(static_cast<std::size_t>(y) * width_ + x) * 4];
      p[0] = p[1] = p[2] = v;
    }
  }
  return cell;
}

codec::Rect SyntheticDesktop::scroll(int lines) {
  codec::Rect win{kMargin, kMargin, width_ - 2 * kMargin, height_ - 2 * kMargin};
  int dy = lines * kCellH;
  for (int y = win.y; y < win.bottom() - dy; ++y) {
    std::memmove(&pixels_[(static_cast<std::size_t>(y) * width_ + win.x) * 4],
                 &pixels_[(static_cast<std::size_t>(y + dy) * width_ + win.x) * 4],
                 static_cast<std::size_t>(win.width) * 4);
  }
  fill({win.x, win.bottom() - dy, win.width, dy}, 250, 250, 250);
  return win;
}

}  // namespace rdpwarden::test
