#include "pq/text_codec.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::storage;
using namespace std::chrono;

TEST_CASE("timestamps round-trip through PostgreSQL's ISO text in UTC") {
  auto t = sys_days{2026y / 11 / 21} + 13h + 4min + 5s + 123456us;
  auto text = pq::format_timestamp(time_point_cast<system_clock::duration>(t));
  CHECK(text == "2026-11-21 13:04:05.123456+00");
  auto back = pq::parse_timestamp(text);
  REQUIRE(back);
  CHECK(*back == time_point_cast<system_clock::duration>(t));
  CHECK(pq::parse_timestamp("2026-11-21 13:04:05+00") ==
        time_point_cast<system_clock::duration>(sys_days{2026y / 11 / 21} + 13h + 4min + 5s));
  CHECK(pq::parse_timestamp("2026-11-21 13:04:05.5+00") ==
        time_point_cast<system_clock::duration>(sys_days{2026y / 11 / 21} + 13h + 4min + 5500ms));
  CHECK_FALSE(pq::parse_timestamp("2026-11-21 13:04:05+02"));
  CHECK_FALSE(pq::parse_timestamp("2026-02-30 00:00:00+00"));
  CHECK_FALSE(pq::parse_timestamp("yesterday"));
}

TEST_CASE("text arrays quote every element and parse the server's form") {
  CHECK(pq::format_text_array({}) == "{}");
  CHECK(pq::format_text_array({"a", "b c", "q\"uote", "back\\slash"}) ==
        R"({"a","b c","q\"uote","back\\slash"})");
  auto parsed = pq::parse_text_array(R"({10.0.0.0/8,"a b","q\"x",NULL,"NULL"})");
  REQUIRE(parsed);
  CHECK(*parsed == std::vector<std::string>{"10.0.0.0/8", "a b", "q\"x", "NULL"});
  CHECK(pq::parse_text_array("{}")->empty());
  CHECK_FALSE(pq::parse_text_array("10.0.0.0/8"));
  CHECK_FALSE(pq::parse_text_array(R"({"open)"));
}

TEST_CASE("bytea hex output decodes") {
  auto bytes = pq::decode_bytea("\\x00ff10");
  REQUIRE(bytes);
  CHECK(*bytes == std::vector<std::byte>{std::byte{0}, std::byte{0xff}, std::byte{0x10}});
  CHECK_FALSE(pq::decode_bytea("\\x0"));
  CHECK_FALSE(pq::decode_bytea("00ff"));
  CHECK_FALSE(pq::decode_bytea("\\xzz"));
}
