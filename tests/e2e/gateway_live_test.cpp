// Issue 7, gateway side: what an auditor does to a live session shows in the admin's client,
// reaches (or holds back from) the target, and is in the audit log; the maximum duration.
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/audit.hpp>

#include "gateway_scenario.hpp"
#include "support/image_compare.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

// The band where the gateway draws its banners, and the rest of the screen.
const Rect kTop{0, 0, 1024, 120};
const Rect kRest{0, 200, 1024, 568};

struct LiveSetup {
  GatewayScenario scenario;
  ShadowTarget& target = scenario.target();
  GatewayProcess& gateway = scenario.gateway();
  XfreerdpClient* client = nullptr;
  std::string id;

  explicit LiveSetup(GatewayOptions options) : scenario({.gateway = std::move(options)}) {
    client = &scenario.connect();
    REQUIRE(wait_until([&] { return !gateway.db().sessions().live().empty(); }, 20s));
    id = gateway.db().sessions().live()[0].id;
    // The session is relayed: wait until the admin sees the target's screen.
    REQUIRE(scenario.active_session());
  }

  bool same_screen() { return scenario.same_screen(*client, 0.02, 15s).matched; }

  // True when the banner band differs from the target's while the rest matches.
  bool banner_shown() {
    const auto seen = client->screenshot();
    const auto under = target.screenshot();
    return rmse(seen, under, kTop) > 0.05 && rmse(seen, under, kRest) < 0.02;
  }

  std::set<std::string> audited() {
    std::set<std::string> actions;
    for (const auto& e : gateway.db().audit().list().entries) {
      if (e.object == "session " + id)
        actions.insert(std::string(storage::to_string(e.action)) +
                       (e.details_json.find("\"stop\"") != std::string::npos ? ":stop" : ""));
    }
    return actions;
  }
};

}  // namespace

TEST_CASE("suspend holds typing back and shows why; resume lets it through; all audited") {
  LiveSetup s({.notice_seconds = 0});
  INFO("gateway log:\n" << s.gateway.log());
  REQUIRE(s.gateway.cli({"session", "suspend", s.id.substr(0, 8)}).exit_code == 0);
  CHECK(wait_until([&] { return s.banner_shown(); }, 10s));
  const auto blocked = s.target.work_dir() / "blocked.txt";
  s.client->type_text("echo blocked > " + blocked.string());
  s.client->press_keys("Return");
  std::this_thread::sleep_for(3s);
  CHECK(file_text(blocked).empty());
  CHECK(s.banner_shown());  // still suspended: the banner stays

  REQUIRE(s.gateway.cli({"session", "resume", s.id}).exit_code == 0);
  CHECK(s.same_screen());
  const auto allowed = s.target.work_dir() / "allowed.txt";
  s.client->type_text("echo allowed > " + allowed.string());
  s.client->press_keys("Return");
  CHECK(wait_until([&] { return file_text(allowed) == "allowed\n"; }, 15s));

  REQUIRE(s.gateway.cli({"session", "message", s.id, "Please stop now."}).exit_code == 0);
  CHECK(wait_until([&] { return s.banner_shown(); }, 10s));
  CHECK(s.gateway.cli({"session", "message", s.id, ""}).exit_code != 0);
  CHECK(s.gateway.cli({"session", "suspend", "ffffffff"}).exit_code != 0);

  REQUIRE(s.gateway.kill_session(s.id).exit_code == 0);
  CHECK(s.client->wait_for_exit(5s));
  CHECK(wait_until([&] { return s.gateway.db().sessions().live().empty(); }, 15s));
  const auto actions = s.audited();
  CHECK(actions.count("session.suspend") == 1);
  CHECK(actions.count("session.resume") == 1);
  CHECK(actions.count("session.message") == 1);
  CHECK(actions.count("session.kill") == 1);
  std::set<std::string> events;
  for (const auto& e : s.gateway.db().events().list(s.id))
    events.insert(e.kind + ":" + nlohmann::json::parse(e.data_json).value("action", ""));
  CHECK(events.count("control:suspend") == 1);
  CHECK(events.count("control:resume") == 1);
  CHECK(events.count("control:message") == 1);
}

TEST_CASE("the admin sees a notice when an auditor starts watching; watch start and stop audited") {
  LiveSetup s({.notice_seconds = 0, .watch_notice_seconds = 8});
  INFO("gateway log:\n" << s.gateway.log());
  CHECK(s.same_screen());
  const auto mp4 = s.gateway.data_dir() / "live.mp4";
  // `session watch` runs for 4 s in the background while we look at the admin's screen.
  std::optional<RunResult> watch;
  std::thread watcher([&] {
    watch = s.gateway.cli({"session", "watch", s.id, "--output", mp4.string(), "--seconds", "4"});
  });
  const bool noticed = wait_until([&] { return s.banner_shown(); }, 10s);
  watcher.join();
  CHECK(noticed);
  REQUIRE(watch);
  CHECK(watch->exit_code == 0);
  CHECK(std::filesystem::file_size(mp4) > 1000);
  CHECK(wait_until([&] { return s.audited().count("session.watch:stop") == 1; }, 10s));
  CHECK(s.audited().count("session.watch") == 1);
}

TEST_CASE("a session at its maximum duration is warned, then ended cleanly") {
  // The shortest the config allows: one minute, with the warning due at once.
  LiveSetup s({.notice_seconds = 0, .max_duration_minutes = 1, .warn_before_minutes = {1}});
  INFO("gateway log:\n" << s.gateway.log());
  CHECK(wait_until([&] { return s.banner_shown(); }, 10s));
  const auto exit_code = s.client->wait_for_exit(90s);
  REQUIRE(exit_code);
  CHECK(s.client->log().find("ERRINFO_LOGON_TIMEOUT") != std::string::npos);
  CHECK(wait_until([&] { return s.gateway.db().sessions().live().empty(); }, 15s));
  auto row = s.gateway.db().sessions().get(s.id);
  REQUIRE(row);
  CHECK(row->end_reason.rfind("max-duration", 0) == 0);
  std::set<std::string> policy;
  for (const auto& e : s.gateway.db().events().list(s.id))
    if (e.kind == "policy") policy.insert(nlohmann::json::parse(e.data_json).value("action", ""));
  CHECK(policy.count("max-duration-warning") == 1);
  CHECK(policy.count("max-duration") == 1);
}
