#include <catch2/catch.hpp>

#include <rdpwarden/storage/audit.hpp>
#include <rdpwarden/storage/model.hpp>

using namespace rdpwarden::storage;

TEST_CASE("fingerprints are normalized from their usual spellings") {
  std::string hex(64, 'a');
  CHECK(normalize_fingerprint(hex) == hex);
  std::string colons, plain;
  for (int i = 0; i < 32; ++i) {
    colons += (i ? ":" : "") + std::string("AB");
    plain += "ab";
  }
  CHECK(normalize_fingerprint(colons) == plain);
  CHECK(normalize_fingerprint("sha256:" + hex) == hex);
  CHECK_FALSE(normalize_fingerprint(hex.substr(1)));
  CHECK_FALSE(normalize_fingerprint(std::string(63, 'a') + "g"));
  CHECK_FALSE(normalize_fingerprint(""));
}

TEST_CASE("hosts are DNS names or IP addresses") {
  CHECK(is_valid_host("srv01"));
  CHECK(is_valid_host("srv01.corp.example"));
  CHECK(is_valid_host("10.1.2.3"));
  CHECK(is_valid_host("2001:db8::1"));
  CHECK(is_valid_host("::1"));
  CHECK_FALSE(is_valid_host(""));
  CHECK_FALSE(is_valid_host("10.1.2.300"));
  CHECK_FALSE(is_valid_host("-srv"));
  CHECK_FALSE(is_valid_host("srv..corp"));
  CHECK_FALSE(is_valid_host("srv01:3389"));
  CHECK_FALSE(is_valid_host("[::1]"));
  CHECK_FALSE(is_valid_host("srv 01"));
  CHECK_FALSE(is_valid_host("a;rm -rf"));
  CHECK_FALSE(is_valid_host(std::string(254, 'a')));
}

TEST_CASE("enumerations round-trip through their stored names") {
  for (auto role : {Role::admin, Role::auditor, Role::user})
    CHECK(parse_role(to_string(role)) == role);
  CHECK_FALSE(parse_role("root"));
  for (int i = 0; i <= static_cast<int>(AuditAction::server_stop); ++i) {
    auto action = static_cast<AuditAction>(i);
    CHECK(parse_audit_action(to_string(action)) == action);
  }
  CHECK(to_string(AuditAction::user_add) == "user.add");
  CHECK(to_string(AuditAction::session_kill) == "session.kill");
  CHECK_FALSE(parse_audit_action("user.delete"));
  for (auto kind : {ActorKind::cli, ActorKind::web, ActorKind::gateway, ActorKind::system})
    CHECK(parse_actor_kind(to_string(kind)) == kind);
  for (auto state : {SessionState::live, SessionState::ended, SessionState::failed,
                     SessionState::terminated, SessionState::interrupted})
    CHECK(parse_session_state(to_string(state)) == state);
}
