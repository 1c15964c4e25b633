#include <catch2/catch.hpp>

#include <rdpwarden/policy/network.hpp>

using namespace rdpwarden::policy;

TEST_CASE("IPv4 networks contain their addresses") {
  auto n = parse_network("10.1.0.0/16");
  REQUIRE(n);
  CHECK(contains(*n, *parse_ip("10.1.200.3")));
  CHECK_FALSE(contains(*n, *parse_ip("10.2.0.1")));
  CHECK(n->to_string() == "10.1.0.0/16");
}

TEST_CASE("host bits in the base are cleared") {
  auto n = parse_network("192.168.7.9/24");
  REQUIRE(n);
  CHECK(n->to_string() == "192.168.7.0/24");
}

TEST_CASE("a bare address is a single host") {
  auto n = parse_network("127.0.0.1");
  REQUIRE(n);
  CHECK(contains(*n, *parse_ip("127.0.0.1")));
  CHECK_FALSE(contains(*n, *parse_ip("127.0.0.2")));
}

TEST_CASE("IPv6 networks") {
  auto n = parse_network("2001:db8::/32");
  REQUIRE(n);
  CHECK(contains(*n, *parse_ip("2001:db8:1::5")));
  CHECK_FALSE(contains(*n, *parse_ip("2001:db9::1")));
  CHECK_FALSE(contains(*n, *parse_ip("10.0.0.1")));
}

TEST_CASE("malformed networks are refused") {
  CHECK_FALSE(parse_network(""));
  CHECK_FALSE(parse_network("10.0.0.0/33"));
  CHECK_FALSE(parse_network("10.0.0.0/"));
  CHECK_FALSE(parse_network("10.0.0.0/-1"));
  CHECK_FALSE(parse_network("10.0.0/8"));
  CHECK_FALSE(parse_network("host.example/8"));
  CHECK_FALSE(parse_network("::/129"));
}
