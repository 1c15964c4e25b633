#include "rdp/duration_limit.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::server::rdp;
using namespace std::chrono_literals;
using Kind = DurationLimit::Step::Kind;

TEST_CASE("a session limit warns at each configured point once, then ends the session") {
  DurationLimit limit(30min, {10, 1});
  CHECK_FALSE(limit.due(0ms));
  CHECK_FALSE(limit.due(19min + 59s));
  auto first = limit.due(20min);
  REQUIRE(first);
  CHECK(first->kind == Kind::warn);
  CHECK(first->minutes_left == 10);
  CHECK_FALSE(limit.due(25min));
  auto second = limit.due(29min + 1s);
  REQUIRE(second);
  CHECK(second->minutes_left == 1);
  auto end = limit.due(30min);
  REQUIRE(end);
  CHECK(end->kind == Kind::end);
  CHECK_FALSE(limit.due(31min));
}

TEST_CASE("warnings beyond a short limit come at the start, late ones only as the nearest") {
  DurationLimit one(1min, {10, 1});
  auto start = one.due(0ms);
  REQUIRE(start);
  CHECK(start->kind == Kind::warn);
  CHECK(start->minutes_left == 1);
  CHECK_FALSE(one.due(30s));
  CHECK(one.due(60s)->kind == Kind::end);

  DurationLimit late(30min, {10, 5, 1});
  auto nearest = late.due(29min + 30s);
  REQUIRE(nearest);
  CHECK(nearest->minutes_left == 1);
  CHECK_FALSE(late.due(29min + 40s));
}

TEST_CASE("no limit, no warnings") {
  DurationLimit none(0min, {10, 1});
  CHECK(none.unlimited());
  CHECK_FALSE(none.due(1000min));
}
