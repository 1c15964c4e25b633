// Who gets in: wrong passwords, unknown users and missing grants are refused before anything
// touches the target, look alike to the client where they must, and are recorded.
#include <set>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/audit.hpp>

#include "gateway_process.hpp"
#include "support/rdp_client.hpp"
#include "support/shadow_target.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

struct Attempt {
  std::optional<int> exit_code;
  std::string log;
};

Attempt try_login(std::uint16_t port, const std::string& user, const std::string& password) {
  XfreerdpClient client({.port = port, .username = user, .password = password});
  Attempt attempt;
  attempt.exit_code = client.wait_for_exit(30s);
  attempt.log = client.log();
  return attempt;
}

std::vector<storage::AuditEntry> denials(storage::Database& db) {
  storage::AuditFilter filter;
  filter.actions = {storage::AuditAction::session_deny};
  return db.audit().list(filter).entries;
}

}  // namespace

TEST_CASE("denied logins never reach the target and are recorded") {
  ShadowTarget target;
  GatewayProcess gateway;
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.db().users().add("ops2", storage::Role::user, "Gw-pass-2");  // no grant
  gateway.start();

  const auto wrong_password = try_login(gateway.port(), "ops1#srv01", "not-the-password");
  const auto unknown_user = try_login(gateway.port(), "nobody#srv01", "whatever");
  const auto no_grant = try_login(gateway.port(), "ops2#srv01", "Gw-pass-2");
  const auto no_target = try_login(gateway.port(), "ops1#srv99", "Gw-pass-1");
  INFO("gateway log:\n" << gateway.log());

  // The client is refused and ends; a wrong password and an unknown user are indistinguishable.
  REQUIRE(wrong_password.exit_code);
  REQUIRE(unknown_user.exit_code);
  CHECK(*wrong_password.exit_code != 0);
  CHECK(*wrong_password.exit_code == *unknown_user.exit_code);
  // An authenticated user without a grant is told so (ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES;
  // xfreerdp shows it and exits with "connection failed").
  INFO("no-grant client log:\n" << no_grant.log);
  CHECK(no_grant.exit_code == 131);
  CHECK(no_grant.log.find("ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES") != std::string::npos);
  CHECK(no_target.exit_code == 131);
  CHECK(no_target.log.find("ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES") != std::string::npos);

  CHECK(target.connections_seen() == 0);
  CHECK(gateway.db().sessions().list({}).total == 0);
  // Every refusal is an audit event naming the login as typed (a failed NLA attempt may appear
  // twice: xfreerdp retries once).
  const std::set<std::string> expected{"ops1#srv01", "nobody#srv01", "ops2#srv01", "ops1#srv99"};
  std::set<std::string> actors;
  CHECK(wait_until(
      [&] {
        actors.clear();
        for (const auto& entry : denials(gateway.db()))
          actors.insert(entry.actor);
        return actors == expected;
      },
      10s));
  CHECK(gateway.running());
}

TEST_CASE("TLS-only mode reads the credentials from the client info and refuses bad ones") {
  ShadowTarget target;
  GatewayProcess gateway({.security = "tls"});
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.start();

  const auto wrong = try_login(gateway.port(), "ops1#srv01", "not-the-password");
  CHECK(wrong.exit_code == 131);
  CHECK(wrong.log.find("ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES") != std::string::npos);
  CHECK(target.connections_seen() == 0);

  XfreerdpClient client({.port = gateway.port(),
                         .username = "ops1#srv01",
                         .password = "Gw-pass-1",
                         .security = "tls"});
  client.require_connected();
  CHECK(wait_until([&] { return gateway.db().sessions().live().size() == 1; }, 20s));
  CHECK(wait_until([&] { return target.connections_seen() == 1; }, 20s));
}
