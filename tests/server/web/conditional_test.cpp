#include "web/conditional.hpp"

#include <boost/beast/http/fields.hpp>
#include <catch2/catch.hpp>

using namespace rdpwarden::server::web;
namespace http = boost::beast::http;
using std::chrono::system_clock;

namespace {
Validators validators() {
  return {"\"abc\"", parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")};
}
}  // namespace

TEST_CASE("HTTP dates round-trip", "[web][conditional]") {
  auto t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  REQUIRE(t);
  CHECK(system_clock::to_time_t(*t) == 784111777);
  CHECK(format_http_date(*t) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
}

TEST_CASE("If-None-Match and If-Modified-Since give 304", "[web][conditional]") {
  http::fields f;
  CHECK(evaluate_preconditions(f, validators()) == Precondition::proceed);
  f.set(http::field::if_none_match, "\"x\", \"abc\"");
  CHECK(evaluate_preconditions(f, validators()) == Precondition::not_modified);
  f.set(http::field::if_none_match, "W/\"abc\"");  // weak comparison
  CHECK(evaluate_preconditions(f, validators()) == Precondition::not_modified);
  f.set(http::field::if_none_match, "\"other\"");
  CHECK(evaluate_preconditions(f, validators()) == Precondition::proceed);
  f.set(http::field::if_none_match, "*");
  CHECK(evaluate_preconditions(f, validators()) == Precondition::not_modified);

  http::fields g;
  g.set(http::field::if_modified_since, "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(evaluate_preconditions(g, validators()) == Precondition::not_modified);
  g.set(http::field::if_modified_since, "Sat, 05 Nov 1994 08:49:37 GMT");
  CHECK(evaluate_preconditions(g, validators()) == Precondition::proceed);
  g.set(http::field::if_modified_since, "garbage");
  CHECK(evaluate_preconditions(g, validators()) == Precondition::proceed);
  // If-None-Match wins over If-Modified-Since.
  g.set(http::field::if_none_match, "\"other\"");
  g.set(http::field::if_modified_since, "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(evaluate_preconditions(g, validators()) == Precondition::proceed);
}

TEST_CASE("If-Match and If-Unmodified-Since give 412", "[web][conditional]") {
  http::fields f;
  f.set(http::field::if_match, "\"zzz\"");
  CHECK(evaluate_preconditions(f, validators()) == Precondition::precondition_failed);
  f.set(http::field::if_match, "\"abc\"");
  CHECK(evaluate_preconditions(f, validators()) == Precondition::proceed);
  f.set(http::field::if_match, "W/\"abc\"");  // strong comparison
  CHECK(evaluate_preconditions(f, validators()) == Precondition::precondition_failed);
  http::fields g;
  g.set(http::field::if_unmodified_since, "Sat, 05 Nov 1994 08:49:37 GMT");
  CHECK(evaluate_preconditions(g, validators()) == Precondition::precondition_failed);
}

TEST_CASE("If-Range honours a Range only for the same representation", "[web][conditional]") {
  http::fields f;
  CHECK(if_range_allows(f, validators()));
  f.set(http::field::if_range, "\"abc\"");
  CHECK(if_range_allows(f, validators()));
  f.set(http::field::if_range, "\"old\"");
  CHECK_FALSE(if_range_allows(f, validators()));
  f.set(http::field::if_range, "W/\"abc\"");
  CHECK_FALSE(if_range_allows(f, validators()));
  f.set(http::field::if_range, "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(if_range_allows(f, validators()));
  f.set(http::field::if_range, "Sun, 06 Nov 1994 08:49:38 GMT");
  CHECK_FALSE(if_range_allows(f, validators()));
}

#include "web/iso_time.hpp"

TEST_CASE("ISO 8601 times in and out", "[web][iso]") {
  auto t = parse_iso("2026-11-21T12:00:00Z");
  REQUIRE(t);
  CHECK_FALSE(t->date_only);
  CHECK(format_iso(t->time) == "2026-11-21T12:00:00.000Z");
  CHECK(format_iso(parse_iso("2026-11-21T12:00:00.25+01:30")->time) == "2026-11-21T10:30:00.250Z");
  CHECK(format_iso(parse_iso("2026-11-21T12:00")->time) == "2026-11-21T12:00:00.000Z");
  auto d = parse_iso("2026-11-21");
  REQUIRE(d);
  CHECK(d->date_only);
  CHECK(format_iso(d->time) == "2026-11-21T00:00:00.000Z");
  for (auto bad : {"", "2026", "2026-11", "2026-13-01", "2026-11-21T25:00", "2026-11-21X",
                   "2026-11-21T12:00:00.Z", "2026-11-21T12:00+1", "1969-12-31", "2999-01-01",
                   "2026-11-21T12:00:00Zjunk"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso(bad));
  }
}
