#pragma once
// A synthetic desktop for recorder tests: a BGRX framebuffer with a window, "text" drawn as
// glyph-like blocks, and helpers that change it the way typing or scrolling would, returning
// the dirty rectangles like the gateway does.

#include <cstdint>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::test {

class SyntheticDesktop {
 public:
  SyntheticDesktop(int width, int height);

  codec::FrameView view() const { return {pixels_.data(), width_, height_, width_ * 4}; }
  std::vector<std::uint8_t> copy() const { return pixels_; }
  int width() const { return width_; }
  int height() const { return height_; }

  // Draws character `c` (any byte; a deterministic 8x16 pattern) at text cell (col, row).
  codec::Rect type_char(int col, int row, char c);
  // Fills a rectangle with a colour (window open/close).
  codec::Rect fill(const codec::Rect& r, std::uint8_t b, std::uint8_t g, std::uint8_t red);
  // Moves the window contents up by `lines` text rows (terminal scroll).
  codec::Rect scroll(int lines);

 private:
  int width_;
  int height_;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace rdpwarden::test
