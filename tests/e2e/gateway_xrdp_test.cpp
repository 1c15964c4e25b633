// xfreerdp -> rdpwarden -> xrdp (TLS toward the target, legacy bitmap updates from it).
#include <catch2/catch.hpp>

#include "gateway_process.hpp"
#include "support/rdp_client.hpp"
#include "support/screen_match.hpp"
#include "support/xrdp_target.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

TEST_CASE("the gateway relays a session to xrdp: typing and the screen") {
  XrdpTarget target;
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
  REQUIRE(target.wait_for_session(30s));
  INFO("gateway log:\n" << gateway.log());

  const auto file = target.work_dir() / "through-xrdp.txt";
  // The xterm needs the pointer over it to take keys (no window manager).
  client.move_mouse(300, 200);
  client.type_text("echo via-xrdp > " + file.string());
  client.press_keys("Return");
  CHECK(wait_until([&] { return file_text(file) == "via-xrdp\n"; }, 20s));

  auto match = wait_for_match([&] { return client.screenshot(); },
                              [&] { return target.screenshot(); }, 0.02, 20s);
  if (!match.matched) {
    save_artifact(match.first, "gateway-xrdp-client");
    save_artifact(match.second, "gateway-xrdp-target");
  }
  CHECK(match.matched);
  CHECK(target.xrdp_log().find(target.username()) != std::string::npos);
  CHECK(gateway.log().find(target.password()) == std::string::npos);
}
