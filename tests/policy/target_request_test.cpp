#include <string>

#include <catch2/catch.hpp>

#include <rdpwarden/policy/target_request.hpp>

using rdpwarden::policy::parse_target_request;

TEST_CASE("USER#TARGET names the user and the target") {
  auto r = parse_target_request("", "ops1#srv01");
  REQUIRE(r);
  CHECK(r->user == "ops1");
  CHECK(r->target == "srv01");
  CHECK(r->account.empty());
  CHECK(r->account_domain.empty());
}

TEST_CASE("USER#ACCOUNT@TARGET names the account") {
  auto r = parse_target_request("", "ops1#administrator@srv01");
  REQUIRE(r);
  CHECK(r->user == "ops1");
  CHECK(r->account == "administrator");
  CHECK(r->target == "srv01");
}

TEST_CASE("a domain account split by the client into Domain and User is rebuilt") {
  // The admin typed ops1#CORP\administrator@srv01; the client sent Domain=ops1#CORP.
  auto r = parse_target_request("ops1#CORP", "administrator@srv01");
  REQUIRE(r);
  CHECK(r->user == "ops1");
  CHECK(r->account_domain == "CORP");
  CHECK(r->account == "administrator");
  CHECK(r->target == "srv01");
}

TEST_CASE("a UPN account keeps its realm; the last @ names the target") {
  auto r = parse_target_request("", "ops1#admin@corp.example@srv-01.dc1");
  REQUIRE(r);
  CHECK(r->account == "admin@corp.example");
  CHECK(r->target == "srv-01.dc1");
}

TEST_CASE("malformed usernames are refused") {
  CHECK_FALSE(parse_target_request("", "ops1"));              // no target
  CHECK_FALSE(parse_target_request("", "#srv01"));            // no user
  CHECK_FALSE(parse_target_request("", "ops1#"));             // empty target
  CHECK_FALSE(parse_target_request("", "ops1#@srv01"));       // empty account
  CHECK_FALSE(parse_target_request("", "ops 1#srv01"));       // space in the user
  CHECK_FALSE(parse_target_request("", "ops1#srv01/../x"));   // path characters
  CHECK_FALSE(parse_target_request("", "ops1#a#b"));          // second '#'
  CHECK_FALSE(parse_target_request("", "ops1#acc\x01@srv"));  // control character
  CHECK_FALSE(parse_target_request("", std::string(5000, 'a') + "#srv01"));
  CHECK_FALSE(parse_target_request("", "ops1#" + std::string(65, 't')));
}

TEST_CASE("a domain typed in front of the gateway user is not part of the grammar") {
  // CORP\ops1#srv01 arrives as Domain=CORP, User=ops1#srv01: "CORP\ops1" is not a valid user.
  CHECK_FALSE(parse_target_request("CORP", "ops1#srv01"));
}
