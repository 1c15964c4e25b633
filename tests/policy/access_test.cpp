#include <vector>

#include <catch2/catch.hpp>

#include <rdpwarden/policy/access.hpp>

using namespace rdpwarden::policy;
using namespace std::chrono_literals;

namespace {
AccessRequest request(std::string target, std::string account = {},
                      std::string source = "10.0.0.5") {
  AccessRequest r;
  r.target.user = "ops1";
  r.target.target = std::move(target);
  r.target.account = std::move(account);
  r.source = parse_ip(source);
  r.now = std::chrono::system_clock::now();
  return r;
}
}  // namespace

TEST_CASE("no grant, no access") {
  std::vector<AccountRef> accounts{{"administrator", ""}};
  auto v = decide_access(request("srv01"), {}, accounts);
  CHECK(v.denial == Denial::no_grant);
}

TEST_CASE("a grant without an account uses the target's only account") {
  std::vector<GrantRule> grants{GrantRule{}};
  std::vector<AccountRef> accounts{{"administrator", "CORP"}};
  auto v = decide_access(request("srv01"), grants, accounts);
  REQUIRE(v.allowed());
  CHECK(v.account.login == "administrator");
  CHECK(v.account.domain == "CORP");
}

TEST_CASE("several accounts and none named is ambiguous unless the grant names one") {
  std::vector<AccountRef> accounts{{"administrator", ""}, {"backup", ""}};
  std::vector<GrantRule> any{GrantRule{}};
  CHECK(decide_access(request("srv01"), any, accounts).denial == Denial::account_ambiguous);

  GrantRule named;
  named.account_login = "BACKUP";  // case-insensitive
  std::vector<GrantRule> grants{named};
  auto v = decide_access(request("srv01"), grants, accounts);
  REQUIRE(v.allowed());
  CHECK(v.account.login == "backup");
}

TEST_CASE("a named account must be covered by a grant") {
  std::vector<AccountRef> accounts{{"administrator", ""}, {"backup", ""}};
  GrantRule named;
  named.account_login = "backup";
  std::vector<GrantRule> grants{named};
  CHECK(decide_access(request("srv01", "administrator"), grants, accounts).denial ==
        Denial::account_not_granted);
  CHECK(decide_access(request("srv01", "backup"), grants, accounts).allowed());
  CHECK(decide_access(request("srv01", "nobody"), grants, accounts).denial == Denial::no_account);
}

TEST_CASE("validity windows are enforced") {
  std::vector<AccountRef> accounts{{"administrator", ""}};
  auto now = std::chrono::system_clock::now();
  GrantRule future;
  future.valid_from = now + 1h;
  std::vector<GrantRule> g1{future};
  CHECK(decide_access(request("srv01"), g1, accounts).denial == Denial::not_yet_valid);

  GrantRule past;
  past.valid_until = now - 1s;
  std::vector<GrantRule> g2{past};
  CHECK(decide_access(request("srv01"), g2, accounts).denial == Denial::expired);

  GrantRule current;
  current.valid_from = now - 1h;
  current.valid_until = now + 1h;
  std::vector<GrantRule> g3{past, current};
  CHECK(decide_access(request("srv01"), g3, accounts).allowed());
}

TEST_CASE("source networks are enforced") {
  std::vector<AccountRef> accounts{{"administrator", ""}};
  GrantRule g;
  g.source_networks.push_back(*parse_network("10.0.0.0/24"));
  std::vector<GrantRule> grants{g};
  CHECK(decide_access(request("srv01", "", "10.0.0.77"), grants, accounts).allowed());
  CHECK(decide_access(request("srv01", "", "10.0.1.77"), grants, accounts).denial ==
        Denial::source_not_allowed);
  auto no_source = request("srv01");
  no_source.source.reset();
  CHECK(decide_access(no_source, grants, accounts).denial == Denial::source_not_allowed);
}
