#pragma once
// Which parts of the screen the admin's client has not seen yet, on a grid of 64x64 tiles.
// Bounded whatever the target draws (a 4K screen is 2,040 tiles), and tile-aligned rectangles
// are what the encoders want anyway.

#include <cstdint>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::server::rdp {

class DirtyTiles {
 public:
  static constexpr int kTile = 64;

  // Forgets everything and sizes the grid for a width x height screen.
  void reset(int width, int height);
  void mark(const codec::Rect& rect);  // clipped to the screen
  void mark_all();
  bool empty() const { return count_ == 0; }
  int tile_count() const { return count_; }
  // Fraction of the screen that is dirty, 0..1.
  double coverage() const;
  // The dirty area as tile-aligned rectangles clipped to the screen: runs of tiles in a row,
  // merged with the rows below when they span the same columns. Clears the grid.
  std::vector<codec::Rect> take();

 private:
  int width_ = 0;
  int height_ = 0;
  int cols_ = 0;
  int rows_ = 0;
  int count_ = 0;
  std::vector<std::uint8_t> tiles_;
};

}  // namespace rdpwarden::server::rdp
