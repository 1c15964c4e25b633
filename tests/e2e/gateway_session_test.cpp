// xfreerdp -> rdpwarden -> freerdp-shadow-cli: the session works as an admin would check it.
#include <catch2/catch.hpp>

#include "gateway_process.hpp"
#include "lab.hpp"

using namespace rdpwarden::test;
using namespace std::chrono_literals;

TEST_CASE("typed text reaches the target and the client shows the target's screen") {
  LabShadowTarget target;
  GatewayProcess gateway(
      {.scenario = single_target_scenario("ops1", "Gw-pass-1", target.port(), "Vault-Secret-9")});
  LabClient client({.port = gateway.port(), .username = "ops1#srv01", .password = "Gw-pass-1"});
  REQUIRE(client.wait_connected());

  const double rmse = wait_for_screen_match(client, target, 0.02, 20s);
  INFO("client log:\n" << client.log() << "\ngateway log:\n" << gateway.log());
  CHECK(rmse <= 0.02);

  const auto file = target.work_dir() / "typed.txt";
  client.type("echo hello-through-the-gateway > " + file.string());
  client.key("Return");
  CHECK(wait_until([&] { return read_text(file) == "hello-through-the-gateway\n"; }, 15s));

  // The target's screen changed (the echo and a new prompt): the client follows.
  CHECK(wait_for_screen_match(client, target, 0.02, 20s) <= 0.02);

  const auto started = gateway.records("session_started");
  REQUIRE(started.size() == 1);
  CHECK(started[0]["user"] == "ops1");
  CHECK(started[0]["target"] == "srv01");
  CHECK(started[0]["account"] == "administrator");
  CHECK(started[0]["client"] == "127.0.0.1");
}
