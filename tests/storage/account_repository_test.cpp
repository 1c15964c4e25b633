// Vaulted accounts against a real PostgreSQL.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;

namespace {
struct AccountFixture : StorageFixture {
  AccountFixture() {
    db.targets().add({"srv01", "10.0.0.1", 3389, ""});
    db.targets().add({"srv02", "10.0.0.2", 3389, ""});
  }
};
}  // namespace

TEST_CASE("an account's password comes back unsealed, and only through password()") {
  AccountFixture f;
  auto a = f.db.accounts().add({"srv01", "Administrator", ""}, "T4rget-pässword");
  CHECK(a.target_name == "srv01");
  CHECK(a.login == "Administrator");
  CHECK(a.domain.empty());
  CHECK(f.db.accounts().password(a.id).view() == "T4rget-pässword");
  f.db.accounts().set_password({"srv01", "administrator", std::nullopt}, "N3w");
  CHECK(f.db.accounts().password(a.id).view() == "N3w");
  CHECK_THROWS_AS(f.db.accounts().password(a.id + 1000), storage::NotFound);
}

TEST_CASE("accounts are listed per target and in whole") {
  AccountFixture f;
  f.db.accounts().add({"srv01", "root", ""}, "x");
  f.db.accounts().add({"srv01", "admin", "CORP"}, "x");
  f.db.accounts().add({"srv02", "admin", ""}, "x");
  auto all = f.db.accounts().list();
  REQUIRE(all.size() == 3);
  CHECK(all[0].login == "admin");
  CHECK(all[0].domain == "CORP");
  CHECK(all[1].login == "root");
  CHECK(all[2].target_name == "srv02");
  auto srv02 = f.db.targets().get("srv02");
  CHECK(f.db.accounts().for_target(srv02.id).size() == 1);
  CHECK(f.db.accounts().list("SRV01").size() == 2);
  CHECK_THROWS_MATCHES(f.db.accounts().list("srv9"), storage::NotFound,
                       Catch::Message("no target named srv9"));
}

TEST_CASE("the same login may exist once per domain per target") {
  AccountFixture f;
  f.db.accounts().add({"srv01", "admin", ""}, "x");
  f.db.accounts().add({"srv01", "admin", "CORP"}, "x");
  f.db.accounts().add({"srv02", "admin", ""}, "x");
  CHECK_THROWS_MATCHES(f.db.accounts().add({"srv01", "ADMIN", "corp"}, "x"), storage::AlreadyExists,
                       Catch::Message("account corp\\ADMIN on srv01 already exists"));
  // Without a domain, the login is ambiguous on srv01 and plain on srv02.
  CHECK_THROWS_MATCHES(f.db.accounts().get({"srv01", "admin", std::nullopt}), storage::InvalidInput,
                       Catch::Message("target srv01 has several accounts named admin; name the "
                                      "domain too"));
  CHECK(f.db.accounts().get({"srv01", "admin", "corp"}).domain == "CORP");
  CHECK(f.db.accounts().get({"srv01", "admin", ""}).domain.empty());
  CHECK(f.db.accounts().get({"srv02", "admin", std::nullopt}).target_name == "srv02");
}

TEST_CASE("bad account input is refused") {
  AccountFixture f;
  auto accounts = f.db.accounts();
  CHECK_THROWS_MATCHES(accounts.add({"srv9", "admin", ""}, "x"), storage::NotFound,
                       Catch::Message("no target named srv9"));
  CHECK_THROWS_MATCHES(accounts.add({"srv01", "admin", ""}, ""), storage::InvalidInput,
                       Catch::Message("the password is empty"));
  CHECK_THROWS_AS(accounts.add({"srv01", "", ""}, "x"), storage::InvalidInput);
  CHECK_THROWS_AS(accounts.add({"srv01", "a#b", ""}, "x"), storage::InvalidInput);
  CHECK_THROWS_AS(accounts.add({"srv01", "a\\b", ""}, "x"), storage::InvalidInput);
  CHECK_THROWS_AS(accounts.add({"srv01", "admin", "CO@RP"}, "x"), storage::InvalidInput);
  CHECK_NOTHROW(accounts.add({"srv01", "admin@corp.example", ""}, "x"));  // a UPN
  CHECK_THROWS_MATCHES(accounts.get({"srv01", "nobody", std::nullopt}), storage::NotFound,
                       Catch::Message("no account nobody on srv01"));
}

TEST_CASE("an account a grant names is removed only with cascade") {
  AccountFixture f;
  f.db.users().add("ops1", storage::Role::user, "pw");
  f.db.accounts().add({"srv01", "admin", ""}, "x");
  f.db.grants().add(account_grant("ops1", "srv01", "admin"));
  CHECK_THROWS_MATCHES(f.db.accounts().remove({"srv01", "admin", std::nullopt}, false),
                       storage::ConstraintViolation,
                       Catch::Message("account admin on srv01 is named by 1 grant"));
  CHECK(f.db.accounts().remove({"srv01", "admin", std::nullopt}, true) == 1);
  CHECK(f.db.accounts().list().empty());
  CHECK(f.db.grants().list().empty());
  f.db.accounts().add({"srv01", "plain", ""}, "x");
  CHECK(f.db.accounts().remove({"srv01", "plain", ""}, false) == 0);
}
