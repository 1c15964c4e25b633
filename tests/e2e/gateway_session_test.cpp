// xfreerdp -> rdpwarden -> freerdp-shadow-cli: the session works as an admin would check it.
#include <thread>

#include <catch2/catch.hpp>

#include "gateway_process.hpp"
#include "support/image_compare.hpp"
#include "support/rdp_client.hpp"
#include "support/screen_match.hpp"
#include "support/shadow_target.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

ScreenMatch screens_match(XfreerdpClient& client, ShadowTarget& target) {
  return wait_for_match([&] { return client.screenshot(); }, [&] { return target.screenshot(); },
                        0.02, 20s);
}

}  // namespace

TEST_CASE("typed text reaches the target and the client shows the target's screen") {
  ShadowTarget target({.width = 1024, .height = 768});
  GatewayProcess gateway;
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.start();
  XfreerdpClient client({.port = gateway.port(),
                         .username = "ops1#srv01",
                         .password = "Gw-pass-1",
                         .width = 1024,
                         .height = 768});
  client.require_connected();

  auto first = screens_match(client, target);
  INFO("gateway log:\n" << gateway.log());
  if (!first.matched) save_artifact(first.first, "gateway-session-client");
  CHECK(first.matched);

  const auto file = target.work_dir() / "typed.txt";
  client.type_text("echo hello-through-the-gateway > " + file.string());
  client.press_keys("Return");
  CHECK(wait_until([&] { return file_text(file) == "hello-through-the-gateway\n"; }, 15s));

  // The target's screen changed (the echo and a new prompt): the client follows.
  CHECK(screens_match(client, target).matched);

  auto live = gateway.db().sessions().live();
  REQUIRE(live.size() == 1);
  CHECK(live[0].user_name == "ops1");
  CHECK(live[0].target_name == "srv01");
  CHECK(live[0].account_login == "administrator");
  CHECK(live[0].client_address == "127.0.0.1");
}

TEST_CASE("the gateway logs in with NLA to a target that requires it, and no secret is logged") {
  ShadowTarget target({.auth = ShadowAuth::kNla, .width = 1024, .height = 768});
  GatewayProcess gateway;
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), target.username(),
                           target.password());
  gateway.start();
  XfreerdpClient client({.port = gateway.port(),
                         .username = "ops1#srv01",
                         .password = "Gw-pass-1",
                         .width = 1024,
                         .height = 768});
  client.require_connected();
  INFO("gateway log:\n" << gateway.log());
  CHECK(screens_match(client, target).matched);
  CHECK(target.log().find("Negotiated Security: NLA:1") != std::string::npos);

  // The worker's command line carries no secret either.
  const auto sessions = gateway.sessions();
  REQUIRE(sessions.size() == 1);
  const auto cmdline =
      file_text("/proc/" + std::to_string(sessions[0]["pid"].get<int>()) + "/cmdline");
  CHECK(!cmdline.empty());
  CHECK(cmdline.find(target.password()) == std::string::npos);

  client.stop();
  CHECK(wait_until([&] { return gateway.db().sessions().live().empty(); }, 10s));
  const auto log = gateway.log();
  CHECK(log.find(target.password()) == std::string::npos);
  CHECK(log.find("Gw-pass-1") == std::string::npos);
  auto ended = gateway.db().sessions().list({});
  REQUIRE(ended.sessions.size() == 1);
  CHECK(ended.sessions[0].state == storage::SessionState::ended);
  CHECK(ended.sessions[0].end_reason.rfind("client-disconnect", 0) == 0);
}

TEST_CASE("the recording notice shows over the target's screen at the start, then goes") {
  ShadowTarget target({.width = 1024, .height = 768});
  GatewayProcess gateway(
      {.notice_text = "This session is recorded for audit.", .notice_seconds = 4});
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.start();
  XfreerdpClient client({.port = gateway.port(),
                         .username = "ops1#srv01",
                         .password = "Gw-pass-1",
                         .width = 1024,
                         .height = 768});
  client.require_connected();
  // While the notice is up, the client's screen is the target's plus a banner across the top.
  REQUIRE(wait_until([&] { return target.connections_seen() == 1; }, 20s));
  std::this_thread::sleep_for(1500ms);
  const auto with_banner = client.screenshot();
  const auto under = target.screenshot();
  const Rect top{0, 0, 1024, 120};
  const Rect rest{0, 200, 1024, 568};
  CHECK(rmse(with_banner, under, top) > 0.05);
  CHECK(rmse(with_banner, under, rest) < 0.02);
  // Then it goes and the whole screen is the target's.
  CHECK(screens_match(client, target).matched);
  auto live = gateway.db().sessions().live();
  REQUIRE(live.size() == 1);
  client.stop();
  REQUIRE(wait_until([&] { return gateway.db().sessions().live().empty(); }, 15s));
  bool noticed = false;
  for (const auto& e : gateway.db().events().list(live[0].id))
    noticed = noticed || (e.kind == "notice.shown" &&
                          e.data_json.find("recorded for audit") != std::string::npos);
  CHECK(noticed);
}
