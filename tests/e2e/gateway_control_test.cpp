// Control from outside the session: `session kill`, and a worker that dies.
#include <set>
#include <signal.h>
#include <thread>

#include <catch2/catch.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/storage/audit.hpp>

#include "gateway_scenario.hpp"
#include "support/image_compare.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

TEST_CASE("session kill disconnects the client within one second and tells it why") {
  GatewayScenario scenario({.target = {}});
  auto& gateway = scenario.gateway();
  auto& client = scenario.connect();
  const auto live = scenario.active_session();
  REQUIRE(live);
  const auto id = (*live)["id"].get<std::string>();

  // Timed from the request on the admin socket: what `session kill` sends, without the cost of
  // starting the CLI process (seconds of ASan start-up on a loaded machine).
  const auto start = std::chrono::steady_clock::now();
  const auto killed = gateway.admin_request({{"cmd", "kill"}, {"id", id.substr(0, 8)}});
  const auto exit_code = client.wait_for_exit(1s);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  INFO("gateway log:\n" << gateway.log() << "\nclient log:\n" << client.log());
  CHECK(killed.value("ok", false));
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
  GatewayScenario scenario({.target = {}, .start_gateway = false});
  auto& target = scenario.target();
  auto& gateway = scenario.gateway();
  gateway.db().users().add("ops2", storage::Role::user, "Gw-pass-2");
  storage::NewGrant grant;
  grant.key.user = "ops2";
  grant.key.target = "srv01";
  gateway.db().grants().add(grant);
  scenario.start();

  auto& victim = scenario.connect();
  auto& survivor = scenario.connect("ops2", "Gw-pass-2");
  const auto doomed = scenario.active_session("ops1");
  REQUIRE(doomed);
  REQUIRE(scenario.active_session("ops2"));

  REQUIRE(::kill((*doomed)["pid"].get<int>(), SIGKILL) == 0);
  CHECK(victim.wait_for_exit(10s));
  INFO("gateway log:\n" << gateway.log());

  const auto file = target.work_dir() / "still-here.txt";
  survivor.type_text("echo still-here > " + file.string());
  survivor.press_keys("Return");
  CHECK(wait_until([&] { return file_text(file) == "still-here\n"; }, 15s));
  CHECK(scenario.same_screen(survivor).matched);

  CHECK(gateway.running());
  const auto id = (*doomed)["id"].get<std::string>();
  CHECK(wait_until(
      [&] { return gateway.db().sessions().get(id)->state != storage::SessionState::live; }, 10s));
  auto row = gateway.db().sessions().get(id);
  CHECK(row->state == storage::SessionState::failed);
  CHECK(row->end_reason.rfind("worker-crashed", 0) == 0);
  CHECK(gateway.db().sessions().live().size() == 1);
}

TEST_CASE("an auditor suspends, messages, resumes and watches a live session") {
  GatewayScenario scenario;
  auto& target = scenario.target();
  auto& gateway = scenario.gateway();
  auto& client = scenario.connect();
  REQUIRE(scenario.same_screen(client).matched);
  const auto live = scenario.active_session();
  REQUIRE(live);
  const auto id = (*live)["id"].get<std::string>();
  INFO("gateway log:\n" << gateway.log());

  // Suspended: keys do not reach the target, and the admin sees why.
  REQUIRE(gateway.cli({"session", "suspend", id}).exit_code == 0);
  const auto blocked = target.work_dir() / "blocked.txt";
  std::this_thread::sleep_for(500ms);
  client.type_text("echo blocked > " + blocked.string());
  client.press_keys("Return");
  std::this_thread::sleep_for(3s);
  CHECK(file_text(blocked).empty());
  CHECK(rmse(client.screenshot(), target.screenshot()) > 0.01);  // the banner is on screen

  REQUIRE(gateway.cli({"session", "message", id, "Please explain what you are doing."}).exit_code ==
          0);
  REQUIRE(gateway.cli({"session", "resume", id}).exit_code == 0);
  const auto allowed = target.work_dir() / "allowed.txt";
  client.type_text("echo allowed > " + allowed.string());
  client.press_keys("Return");
  CHECK(wait_until([&] { return file_text(allowed) == "allowed\n"; }, 15s));

  // Watching: the live view is the session's screen, as fragmented MP4.
  const auto mp4 = gateway.data_dir() / "live.mp4";
  auto watch = gateway.cli({"session", "watch", id, "--output", mp4.string(), "--seconds", "6"});
  REQUIRE(watch.exit_code == 0);
  const auto frames = rdpwarden::codec::FrameDecoder::decode_file(mp4);
  REQUIRE(!frames.empty());
  const auto& last = frames.back();
  Image seen = Image(last.width, last.height, PixelFormat::kBgrx32, last.bgrx)
                   .converted(PixelFormat::kRgb24);
  CHECK(rmse(seen, target.screenshot()) < 0.05);

  client.stop();
  CHECK(wait_until([&] { return gateway.db().sessions().live().empty(); }, 15s));
  std::set<std::string> controls;
  for (const auto& e : gateway.db().events().list(id)) {
    if (e.kind == "control" || e.kind == "watch")
      controls.insert(e.kind + ":" + nlohmann::json::parse(e.data_json).value("action", ""));
  }
  CHECK(controls.count("control:suspend") == 1);
  CHECK(controls.count("control:message") == 1);
  CHECK(controls.count("control:resume") == 1);
  CHECK(controls.count("watch:start") == 1);
}
