// Control from outside the session: `session kill`, and a worker that dies.
#include <signal.h>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/audit.hpp>

#include "gateway_process.hpp"
#include "support/rdp_client.hpp"
#include "support/screen_match.hpp"
#include "support/shadow_target.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

std::optional<nlohmann::json> session_of(GatewayProcess& gateway, const std::string& user) {
  for (const auto& s : gateway.sessions()) {
    if (s.value("user", "") == user && s.value("state", "") == "active") return s;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("session kill disconnects the client within one second and tells it why") {
  ShadowTarget target;
  GatewayProcess gateway;
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.start();
  XfreerdpClient client(
      {.port = gateway.port(), .username = "ops1#srv01", .password = "Gw-pass-1"});
  client.require_connected();
  std::optional<nlohmann::json> live;
  REQUIRE(wait_until([&] { return (live = session_of(gateway, "ops1")).has_value(); }, 20s));
  const auto id = (*live)["id"].get<std::string>();

  const auto start = std::chrono::steady_clock::now();
  const auto killed = gateway.kill_session(id.substr(0, 8));
  const auto exit_code = client.wait_for_exit(1s);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  INFO("gateway log:\n" << gateway.log() << "\nclient log:\n" << client.log());
  CHECK(killed.exit_code == 0);
  REQUIRE(exit_code);
  CHECK(elapsed < 1s);
  CHECK(*exit_code == 1);  // ERRINFO_RPC_INITIATED_DISCONNECT: "an administrator ended it"
  CHECK(client.log().find("ERRINFO_RPC_INITIATED_DISCONNECT") != std::string::npos);

  CHECK(wait_until([&] { return gateway.db().sessions().live().empty(); }, 10s));
  auto row = gateway.db().sessions().get(id);
  REQUIRE(row);
  CHECK(row->state == storage::SessionState::terminated);
  storage::AuditFilter kills;
  kills.actions = {storage::AuditAction::session_kill};
  CHECK(gateway.db().audit().list(kills).entries.size() == 1);
  CHECK(gateway.kill_session("ffffffff").exit_code != 0);  // unknown id: a clear error
}

TEST_CASE("SIGKILL of one session's worker leaves the supervisor and the other session running") {
  ShadowTarget target;
  GatewayProcess gateway;
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.db().users().add("ops2", storage::Role::user, "Gw-pass-2");
  storage::NewGrant grant;
  grant.key.user = "ops2";
  grant.key.target = "srv01";
  gateway.db().grants().add(grant);
  gateway.start();

  XfreerdpClient victim(
      {.port = gateway.port(), .username = "ops1#srv01", .password = "Gw-pass-1"});
  XfreerdpClient survivor(
      {.port = gateway.port(), .username = "ops2#srv01", .password = "Gw-pass-2"});
  victim.require_connected();
  survivor.require_connected();
  std::optional<nlohmann::json> doomed;
  REQUIRE(wait_until([&] { return (doomed = session_of(gateway, "ops1")).has_value(); }, 20s));
  REQUIRE(wait_until([&] { return session_of(gateway, "ops2").has_value(); }, 20s));

  REQUIRE(::kill((*doomed)["pid"].get<int>(), SIGKILL) == 0);
  CHECK(victim.wait_for_exit(10s));
  INFO("gateway log:\n" << gateway.log());

  const auto file = target.work_dir() / "still-here.txt";
  survivor.type_text("echo still-here > " + file.string());
  survivor.press_keys("Return");
  CHECK(wait_until([&] { return file_text(file) == "still-here\n"; }, 15s));
  CHECK(wait_for_match([&] { return survivor.screenshot(); }, [&] { return target.screenshot(); },
                       0.02, 20s)
            .matched);

  CHECK(gateway.running());
  const auto id = (*doomed)["id"].get<std::string>();
  CHECK(wait_until(
      [&] { return gateway.db().sessions().get(id)->state != storage::SessionState::live; }, 10s));
  auto row = gateway.db().sessions().get(id);
  CHECK(row->state == storage::SessionState::failed);
  CHECK(row->end_reason.rfind("worker-crashed", 0) == 0);
  CHECK(gateway.db().sessions().live().size() == 1);
}
