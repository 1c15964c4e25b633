#include "rdp/dirty_tiles.hpp"

#include <catch2/catch.hpp>

using rdpwarden::codec::Rect;
using rdpwarden::server::rdp::DirtyTiles;

TEST_CASE("dirty tiles merge a region into tile-aligned rectangles clipped to the screen") {
  DirtyTiles tiles;
  tiles.reset(200, 100);  // 4 x 2 tiles, the last column and row partial
  CHECK(tiles.empty());
  tiles.mark({10, 10, 5, 5});
  tiles.mark({70, 20, 100, 10});
  CHECK(tiles.tile_count() == 3);
  auto rects = tiles.take();
  REQUIRE(rects.size() == 1);
  CHECK(rects[0] == Rect{0, 0, 192, 64});
  CHECK(tiles.empty());

  tiles.mark({190, 90, 50, 50});  // partly off screen
  rects = tiles.take();
  REQUIRE(rects.size() == 1);
  CHECK(rects[0] == Rect{128, 64, 72, 36});
}

TEST_CASE("dirty tiles merge identical column runs of consecutive rows") {
  DirtyTiles tiles;
  tiles.reset(640, 480);
  tiles.mark({64, 0, 128, 200});  // columns 1-2, rows 0-3
  tiles.mark({400, 300, 1, 1});   // column 6, row 4
  auto rects = tiles.take();
  REQUIRE(rects.size() == 2);
  CHECK(std::count(rects.begin(), rects.end(), Rect{64, 0, 128, 256}) == 1);
  CHECK(std::count(rects.begin(), rects.end(), Rect{384, 256, 64, 64}) == 1);
}

TEST_CASE("dirty tiles ignore empty and off-screen rectangles and report coverage") {
  DirtyTiles tiles;
  tiles.reset(128, 128);
  tiles.mark({0, 0, 0, 10});
  tiles.mark({-50, -50, 10, 10});
  tiles.mark({500, 500, 10, 10});
  CHECK(tiles.empty());
  tiles.mark_all();
  CHECK(tiles.coverage() == Approx(1.0));
  CHECK(tiles.take() == std::vector<Rect>{{0, 0, 128, 128}});
}
