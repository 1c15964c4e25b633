#include "rdp/gfx_caps.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::server::rdp;

TEST_CASE("the highest known graphics pipeline version is confirmed") {
  const GfxCapsOffer xfreerdp[] = {{0x00080004, 0}, {0x00080105, 0x10}, {0x000A0701, 0xC2}};
  auto choice = choose_gfx_caps(xfreerdp);
  REQUIRE(choice);
  CHECK(choice->confirm.version == 0x000A0701);
  CHECK(choice->avc420);  // 10.x without AVC_DISABLED

  const GfxCapsOffer no_avc[] = {{0x000A0600, 0x20}, {0x000A0601, 0}};
  choice = choose_gfx_caps(no_avc);
  REQUIRE(choice);
  CHECK(choice->confirm.version == 0x000A0600);  // 10.6 ranks above 10.6 (erroneous)
  CHECK_FALSE(choice->avc420);

  const GfxCapsOffer v81[] = {{0x00080105, 0x10}};
  CHECK(choose_gfx_caps(v81)->avc420);
  const GfxCapsOffer v8[] = {{0x00080004, 0}};
  CHECK_FALSE(choose_gfx_caps(v8)->avc420);
}

TEST_CASE("unknown graphics pipeline versions are not confirmed") {
  const GfxCapsOffer unknown[] = {{0x000B0000, 0}, {0x12345678, 0}};
  CHECK_FALSE(choose_gfx_caps(unknown));
  CHECK_FALSE(choose_gfx_caps({}));
}
