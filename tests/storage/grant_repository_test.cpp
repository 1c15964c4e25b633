// Grants against a real PostgreSQL: accounts, validity windows, source networks.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono;

namespace {
struct GrantFixture : StorageFixture {
  GrantFixture() {
    db.users().add("ops1", storage::Role::user, "pw");
    db.users().add("ops2", storage::Role::user, "pw");
    db.targets().add({"srv01", "10.0.0.1", 3389, ""});
    db.targets().add({"srv02", "10.0.0.2", 3389, ""});
    db.accounts().add({"srv01", "admin", ""}, "x");
    db.accounts().add({"srv01", "admin", "CORP"}, "x");
    db.accounts().add({"srv02", "root", ""}, "x");
  }
};
storage::TimePoint at(sys_days day, hours h = 0h) {
  return time_point_cast<system_clock::duration>(day + h);
}
}  // namespace

TEST_CASE("a grant keeps its account, validity window and source networks") {
  GrantFixture f;
  auto g = account_grant("ops1", "srv01", "admin", "corp");
  g.valid_from = at(sys_days{2026y / 1 / 1}, 8h);
  g.valid_until = at(sys_days{2026y / 12 / 31});
  g.source_networks = {"10.1.0.0/16", "192.0.2.7", "2001:db8::/32"};
  auto added = f.db.grants().add(g);
  CHECK(added.user_name == "ops1");
  CHECK(added.target_name == "srv01");
  CHECK(added.account_login == "admin");
  CHECK(added.account_domain == "CORP");
  CHECK(added.valid_from == g.valid_from);
  CHECK(added.valid_until == g.valid_until);
  CHECK(added.source_networks ==
        std::vector<std::string>{"10.1.0.0/16", "192.0.2.7/32", "2001:db8::/32"});

  auto any = f.db.grants().add(any_account_grant("ops1", "srv02"));
  CHECK_FALSE(any.account_id);
  CHECK(any.account_login.empty());
  CHECK_FALSE(any.valid_from);
  CHECK(any.source_networks.empty());
}

TEST_CASE("the gateway reads one user's grants on one target") {
  GrantFixture f;
  f.db.grants().add(any_account_grant("ops1", "srv01"));
  f.db.grants().add(account_grant("ops1", "srv01", "admin", ""));
  f.db.grants().add(any_account_grant("ops2", "srv01"));
  f.db.grants().add(any_account_grant("ops1", "srv02"));
  auto user = f.db.users().get("ops1");
  auto target = f.db.targets().get("srv01");
  auto grants = f.db.grants().for_user_on_target(user.id, target.id);
  REQUIRE(grants.size() == 2);
  CHECK_FALSE(grants[0].account_id);
  CHECK(grants[1].account_login == "admin");
  CHECK(f.db.grants().list().size() == 4);
  storage::GrantFilter by_user;
  by_user.user = "OPS1";
  CHECK(f.db.grants().list(by_user).size() == 3);
  storage::GrantFilter by_target;
  by_target.target = "srv02";
  CHECK(f.db.grants().list(by_target).size() == 1);
}

TEST_CASE("bad grants are refused with the reason") {
  GrantFixture f;
  auto grants = f.db.grants();
  CHECK_THROWS_MATCHES(grants.add(any_account_grant("ops9", "srv01")), storage::NotFound,
                       Catch::Message("no user named ops9"));
  CHECK_THROWS_MATCHES(grants.add(any_account_grant("ops1", "srv9")), storage::NotFound,
                       Catch::Message("no target named srv9"));
  CHECK_THROWS_MATCHES(grants.add(account_grant("ops1", "srv02", "admin")), storage::NotFound,
                       Catch::Message("no account admin on srv02"));
  CHECK_THROWS_AS(grants.add(account_grant("ops1", "srv01", "admin")), storage::InvalidInput);

  auto backwards = any_account_grant("ops1", "srv01");
  backwards.valid_from = at(sys_days{2026y / 2 / 1});
  backwards.valid_until = at(sys_days{2026y / 1 / 1});
  CHECK_THROWS_MATCHES(grants.add(backwards), storage::InvalidInput,
                       Catch::Message("the grant's validity ends before it begins"));

  auto bad_net = any_account_grant("ops1", "srv01");
  bad_net.source_networks = {"10.1.2.3/16"};
  CHECK_THROWS_WITH(grants.add(bad_net),
                    Catch::Contains("invalid source network") && Catch::Contains("10.1.2.3/16"));
  bad_net.source_networks = {"not-a-network"};
  CHECK_THROWS_AS(grants.add(bad_net), storage::InvalidInput);

  grants.add(any_account_grant("ops1", "srv01"));
  CHECK_THROWS_MATCHES(grants.add(any_account_grant("OPS1", "srv01")), storage::AlreadyExists,
                       Catch::Message("grant for OPS1 on srv01 already exists"));
  CHECK(grants.list().size() == 1);
}

TEST_CASE("a grant is removed by user, target and account") {
  GrantFixture f;
  f.db.grants().add(any_account_grant("ops1", "srv01"));
  f.db.grants().add(account_grant("ops1", "srv01", "admin", ""));
  f.db.grants().remove({"ops1", "srv01", "admin", ""});
  auto left = f.db.grants().list();
  REQUIRE(left.size() == 1);
  CHECK_FALSE(left[0].account_id);
  CHECK_THROWS_MATCHES(f.db.grants().remove({"ops2", "srv01", std::nullopt, std::nullopt}),
                       storage::NotFound, Catch::Message("no grant for ops2 on srv01"));
  f.db.grants().remove({"ops1", "SRV01", std::nullopt, std::nullopt});
  CHECK(f.db.grants().list().empty());
}
