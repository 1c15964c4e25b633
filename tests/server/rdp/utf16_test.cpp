#include "rdp/utf16.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::server::rdp;

TEST_CASE("names round-trip between UTF-16 and UTF-8") {
  const std::string names[] = {"ops1#srv01", "CORP\\administrator@srv01", "Jürgen#srv",
                               "管理者#サーバ", "emoji\xF0\x9F\x98\x80#t"};
  for (const auto& name : names) {
    auto wide = utf8_to_utf16(name);
    REQUIRE(wide);
    CHECK(utf16_to_utf8(*wide) == name);
  }
}

TEST_CASE("malformed UTF-16 and UTF-8 from the network are refused") {
  const char16_t lone_high[] = {u'a', 0xD800};
  const char16_t lone_low[] = {0xDC00, u'a'};
  const char16_t nul[] = {u'a', 0, u'b'};
  CHECK_FALSE(utf16_to_utf8(lone_high));
  CHECK_FALSE(utf16_to_utf8(lone_low));
  CHECK_FALSE(utf16_to_utf8(nul));
  CHECK_FALSE(utf8_to_utf16("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(utf8_to_utf16("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(utf8_to_utf16("abc\xE2\x82"));       // truncated
  CHECK_FALSE(utf8_to_utf16("\xF8\x88\x80\x80"));  // 5-byte form
}
