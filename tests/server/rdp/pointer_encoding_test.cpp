#include "rdp/pointer_encoding.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden;
using namespace rdpwarden::server::rdp;

TEST_CASE("a pointer is encoded bottom-up with straight alpha and an empty AND mask") {
  codec::CursorImage image;
  image.width = 3;
  image.height = 2;
  image.hotspot_x = 1;
  image.hotspot_y = 1;
  image.bgra = {1, 2, 3, 255, 0, 0, 0, 0,   9, 9, 9, 128,  // top row
                4, 5, 6, 255, 7, 7, 7, 255, 8, 8, 8, 0};   // bottom row
  auto p = encode_pointer(image, 32);
  CHECK(p.width == 3);
  CHECK(p.height == 2);
  CHECK(p.hotspot_x == 1);
  REQUIRE(p.xor_mask.size() == 24);
  CHECK(p.xor_mask[0] == 4);   // the bottom row comes first
  CHECK(p.xor_mask[12] == 1);  // then the top row
  CHECK(p.xor_mask[23] == 128);
  CHECK(p.and_mask.size() == 4);  // one byte per row, padded to two
  CHECK(std::all_of(p.and_mask.begin(), p.and_mask.end(), [](auto b) { return b == 0; }));
}

TEST_CASE("a pointer larger than the client allows is cropped and its hotspot clamped") {
  codec::CursorImage image;
  image.width = 100;
  image.height = 100;
  image.hotspot_x = 90;
  image.hotspot_y = 5;
  image.bgra.assign(100 * 100 * 4, 0xff);
  auto p = encode_pointer(image, 32);
  CHECK(p.width == 32);
  CHECK(p.height == 32);
  CHECK(p.hotspot_x == 31);
  CHECK(p.hotspot_y == 5);
  CHECK(p.xor_mask.size() == 32 * 32 * 4);

  codec::CursorImage broken;  // no pixels: a 1x1 transparent pointer, never a crash
  broken.width = 10;
  broken.height = 10;
  auto q = encode_pointer(broken, 32);
  CHECK(q.width == 1);
  CHECK(q.xor_mask == std::vector<std::uint8_t>(4, 0));
}
