#include "web/range.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::server::web;

TEST_CASE("single byte ranges", "[web][range]") {
  auto r = parse_range("bytes=0-499", 1000);
  REQUIRE(r.kind == RangeKind::satisfiable);
  CHECK(r.range.first == 0);
  CHECK(r.range.last == 499);
  CHECK(r.range.length() == 500);

  r = parse_range("bytes=500-", 1000);
  REQUIRE(r.kind == RangeKind::satisfiable);
  CHECK(r.range.first == 500);
  CHECK(r.range.last == 999);

  r = parse_range("bytes=-100", 1000);  // the last 100 bytes
  REQUIRE(r.kind == RangeKind::satisfiable);
  CHECK(r.range.first == 900);
  CHECK(r.range.last == 999);

  r = parse_range("bytes=-5000", 1000);  // suffix longer than the file: all of it
  REQUIRE(r.kind == RangeKind::satisfiable);
  CHECK(r.range.first == 0);

  r = parse_range("bytes=900-5000", 1000);  // last clamped to the end
  REQUIRE(r.kind == RangeKind::satisfiable);
  CHECK(r.range.last == 999);

  r = parse_range(" Bytes = 10 - 20 ", 1000);
  REQUIRE(r.kind == RangeKind::satisfiable);
  CHECK(r.range.first == 10);
  CHECK(r.range.last == 20);
}

TEST_CASE("unsatisfiable ranges are 416", "[web][range]") {
  CHECK(parse_range("bytes=1000-", 1000).kind == RangeKind::unsatisfiable);
  CHECK(parse_range("bytes=2000-3000", 1000).kind == RangeKind::unsatisfiable);
  CHECK(parse_range("bytes=-0", 1000).kind == RangeKind::unsatisfiable);
  CHECK(parse_range("bytes=0-", 0).kind == RangeKind::unsatisfiable);
}

TEST_CASE("malformed or unsupported ranges are ignored", "[web][range]") {
  for (auto h : {"", "bytes", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "items=0-1",
                 "bytes=0-1,5-6", "bytes=+1-2", "bytes=1--2", "bytes=99999999999999999999-",
                 "bytes=0x10-20", "bytes=1 0-20"}) {
    INFO(h);
    CHECK(parse_range(h, 1000).kind == RangeKind::none);
  }
}
