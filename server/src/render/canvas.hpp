#pragma once
// A writable view of a 32-bit BGRX pixel buffer that the renderer draws into.

#include <cstdint>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::server::render {

struct Canvas {
  std::uint8_t* pixels = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;

  codec::Rect bounds() const { return {0, 0, width, height}; }
};

// 0xRRGGBB colours.
using Rgb = std::uint32_t;

// Fills `rect` (clipped) with a colour.
void fill(Canvas canvas, const codec::Rect& rect, Rgb color);
// Blends a colour over `rect` with opacity alpha/255.
void shade(Canvas canvas, const codec::Rect& rect, Rgb color, int alpha);

}  // namespace rdpwarden::server::render
