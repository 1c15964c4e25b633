// Users against a real PostgreSQL: add, find, list, password change, remove, logon secrets.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <rdpwarden/storage/credentials.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using storage::Role;

namespace {
std::string hex(std::span<const std::byte> bytes) {
  std::string out;
  for (auto b : bytes)
    out += fmt::format("{:02x}", static_cast<unsigned>(b));
  return out;
}
}  // namespace

TEST_CASE("a user is added, found case-insensitively and listed") {
  StorageFixture f;
  auto users = f.db.users();
  auto added = users.add("Ops1", Role::admin, "gwpass");
  CHECK(added.id > 0);
  CHECK(added.name == "Ops1");
  CHECK(added.role == Role::admin);
  users.add("audit1", Role::auditor, "pw2");

  auto found = users.find("ops1");
  REQUIRE(found);
  CHECK(found->name == "Ops1");
  CHECK_FALSE(users.find("nobody"));
  auto all = users.list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "audit1");
  CHECK(all[1].name == "Ops1");
}

TEST_CASE("a duplicate user name is refused, whatever its case") {
  StorageFixture f;
  f.db.users().add("ops1", Role::user, "a");
  CHECK_THROWS_MATCHES(f.db.users().add("OPS1", Role::user, "b"), storage::AlreadyExists,
                       Catch::Message("user OPS1 already exists"));
}

TEST_CASE("user names and passwords are checked before they reach the database") {
  StorageFixture f;
  auto users = f.db.users();
  CHECK_THROWS_AS(users.add("", Role::user, "x"), storage::InvalidInput);
  CHECK_THROWS_AS(users.add("ops#1", Role::user, "x"), storage::InvalidInput);
  CHECK_THROWS_AS(users.add("-ops", Role::user, "x"), storage::InvalidInput);
  CHECK_THROWS_AS(users.add(std::string(65, 'a'), Role::user, "x"), storage::InvalidInput);
  CHECK_THROWS_MATCHES(users.add("ops1", Role::user, ""), storage::InvalidInput,
                       Catch::Message("the password is empty"));
  CHECK(users.list().empty());
}

TEST_CASE("the NT hash comes back unsealed for NLA") {
  StorageFixture f;
  f.db.users().add("x", Role::user, "gwpass");
  auto logon = f.db.users().find_logon("X");
  REQUIRE(logon);
  CHECK(logon->user.name == "x");
  // winpr-hash -u x -p gwpass
  CHECK(hex(logon->nt_hash.bytes()) == "9449ebd42f1e96c7e1c9255f3f3b7759");
  CHECK_FALSE(f.db.users().find_logon("nobody"));
}

TEST_CASE("the web password verifies, a wrong one or an unknown user does not") {
  StorageFixture f;
  f.db.users().add("ops1", Role::admin, "correct horse");
  auto ok = f.db.users().verify_web_password("OPS1", "correct horse");
  REQUIRE(ok);
  CHECK(ok->role == Role::admin);
  CHECK_FALSE(f.db.users().verify_web_password("ops1", "correct horsE"));
  CHECK_FALSE(f.db.users().verify_web_password("ops2", "correct horse"));
}

TEST_CASE("changing a password changes both the web hash and the NT hash") {
  StorageFixture f;
  auto before = f.db.users().add("ops1", Role::user, "old");
  f.db.users().set_password("ops1", "gwpass");
  CHECK_FALSE(f.db.users().verify_web_password("ops1", "old"));
  CHECK(f.db.users().verify_web_password("ops1", "gwpass"));
  CHECK(hex(f.db.users().find_logon("ops1")->nt_hash.bytes()) !=
        hex(storage::nt_hash("old").bytes()));
  CHECK(f.db.users().get("ops1").password_changed_at >= before.password_changed_at);
  CHECK_THROWS_MATCHES(f.db.users().set_password("ops9", "x"), storage::NotFound,
                       Catch::Message("no user named ops9"));
}

TEST_CASE("removing a user removes their grants and keeps their sessions") {
  StorageFixture f;
  auto user = f.db.users().add("ops1", Role::user, "pw");
  auto target = f.db.targets().add({"srv01", "10.0.0.1", 3389, ""});
  f.db.grants().add(any_account_grant("ops1", "srv01"));
  auto session = f.db.sessions().create(new_session(user.id, target.id));
  CHECK(f.db.users().remove("OPS1") == 1);
  CHECK_FALSE(f.db.users().find("ops1"));
  CHECK(f.db.grants().list().empty());
  auto kept = f.db.sessions().get(session);
  REQUIRE(kept);
  CHECK(kept->user_name == "ops1");
  CHECK_THROWS_MATCHES(f.db.users().remove("ops1"), storage::NotFound,
                       Catch::Message("no user named ops1"));
}

TEST_CASE("a sealed NT hash copied onto another user does not open") {
  StorageFixture f;
  f.db.users().add("alice", Role::user, "alice-pw");
  f.db.users().add("mallory", Role::user, "mallory-pw");
  auto& pg = PostgresServer::shared();
  REQUIRE(pg.psql(f.database(),
                  "UPDATE users SET nt_hash_sealed = (SELECT nt_hash_sealed FROM users WHERE "
                  "name = 'alice') WHERE name = 'mallory'")
              .exit_code == 0);
  CHECK_THROWS_AS(f.db.users().find_logon("mallory"), storage::KeyError);
  CHECK(f.db.users().find_logon("alice"));
}
