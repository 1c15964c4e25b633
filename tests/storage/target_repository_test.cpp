// Targets against a real PostgreSQL.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using storage::FingerprintOrigin;

namespace {
storage::NewTarget target(std::string name, std::string host, std::uint16_t port = 3389,
                          std::string fingerprint = "") {
  return {std::move(name), std::move(host), port, std::move(fingerprint)};
}
const std::string kFingerprint(64, 'c');
}  // namespace

TEST_CASE("targets are added, found and listed") {
  StorageFixture f;
  auto t = f.db.targets().add(target("srv01", "10.0.0.1"));
  CHECK(t.port == 3389);
  CHECK(t.fingerprint_origin == FingerprintOrigin::none);
  f.db.targets().add(target("Alpha", "alpha.corp.example", 3390, "SHA256:" + std::string(64, 'C')));
  auto alpha = f.db.targets().get("alpha");
  CHECK(alpha.name == "Alpha");
  CHECK(alpha.host == "alpha.corp.example");
  CHECK(alpha.port == 3390);
  CHECK(alpha.fingerprint == kFingerprint);
  CHECK(alpha.fingerprint_origin == FingerprintOrigin::pinned);
  auto all = f.db.targets().list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "Alpha");
  CHECK_THROWS_MATCHES(f.db.targets().get("srv9"), storage::NotFound,
                       Catch::Message("no target named srv9"));
}

TEST_CASE("bad target input is refused with a message about the value") {
  StorageFixture f;
  auto targets = f.db.targets();
  CHECK_THROWS_MATCHES(
      targets.add(target("srv01", "10.0.0.300")), storage::InvalidInput,
      Catch::Message("invalid host '10.0.0.300': give a DNS name or an IP address"));
  CHECK_THROWS_AS(targets.add(target("srv01", "srv;reboot")), storage::InvalidInput);
  CHECK_THROWS_MATCHES(targets.add(target("srv01", "srv01", 0)), storage::InvalidInput,
                       Catch::Message("invalid port 0: use 1 to 65535"));
  CHECK_THROWS_WITH(targets.add(target("srv01", "srv01", 3389, "abc")),
                    Catch::Contains("invalid fingerprint"));
  CHECK_THROWS_WITH(targets.add(target("srv 01", "srv01")), Catch::Contains("invalid target name"));
  targets.add(target("srv01", "10.0.0.1"));
  CHECK_THROWS_MATCHES(targets.add(target("SRV01", "10.0.0.2")), storage::AlreadyExists,
                       Catch::Message("target SRV01 already exists"));
  CHECK(targets.list().size() == 1);
}

TEST_CASE("a target with accounts or grants is removed only with cascade") {
  StorageFixture f;
  f.db.targets().add(target("srv01", "10.0.0.1"));
  f.db.users().add("ops1", storage::Role::user, "pw");
  f.db.accounts().add({"srv01", "administrator", ""}, "T4rget!");
  f.db.accounts().add({"srv01", "backup", "CORP"}, "T4rget!");
  f.db.grants().add(any_account_grant("ops1", "srv01"));

  CHECK_THROWS_MATCHES(f.db.targets().remove("srv01", false), storage::ConstraintViolation,
                       Catch::Message("target srv01 still has 2 accounts and 1 grant"));
  CHECK(f.db.targets().find("srv01"));
  auto removal = f.db.targets().remove("SRV01", true);
  CHECK(removal.accounts == 2);
  CHECK(removal.grants == 1);
  CHECK_FALSE(f.db.targets().find("srv01"));
  CHECK(f.db.accounts().list().empty());
  CHECK_THROWS_AS(f.db.targets().remove("srv01", true), storage::NotFound);

  f.db.targets().add(target("empty", "10.0.0.9"));
  auto nothing = f.db.targets().remove("empty", false);
  CHECK(nothing.accounts == 0);
}

TEST_CASE("the first certificate fingerprint seen is kept; a pinned one wins") {
  StorageFixture f;
  auto tofu = f.db.targets().add(target("srv01", "10.0.0.1"));
  auto first = f.db.targets().record_first_fingerprint(tofu.id, std::string(64, 'A'));
  CHECK(first.fingerprint == std::string(64, 'a'));
  CHECK(first.fingerprint_origin == FingerprintOrigin::first_seen);
  auto second = f.db.targets().record_first_fingerprint(tofu.id, std::string(64, 'b'));
  CHECK(second.fingerprint == std::string(64, 'a'));

  auto pinned = f.db.targets().add(target("srv02", "10.0.0.2", 3389, kFingerprint));
  auto kept = f.db.targets().record_first_fingerprint(pinned.id, std::string(64, 'd'));
  CHECK(kept.fingerprint == kFingerprint);
  CHECK(kept.fingerprint_origin == FingerprintOrigin::pinned);
  CHECK_THROWS_AS(f.db.targets().record_first_fingerprint(tofu.id, "zz"), storage::InvalidInput);
}
