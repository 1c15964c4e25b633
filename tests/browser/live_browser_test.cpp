// The live view in headless Chromium (issue 7) without the gateway: a real codec::Recorder
// encodes a synthetic desktop and relays its live stream through RecorderLiveSessions (the
// LiveSessions role the supervisor plays in production) to the real console server. The
// auditor sees the live picture, it follows the desktop within a second, two tabs watch at
// once, the recording so far plays from its start, and the controls reach LiveSessions with
// the auditor's name and address while the buttons follow the session's state.
#include <algorithm>
#include <fstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/web/console_host.hpp"
#include "server/web/live_latency.hpp"
#include "server/web/recorder_live_sessions.hpp"
#include "server/web/storage_world.hpp"
#include "support/browser_script.hpp"
#include "support/process.hpp"

using namespace rdpwarden;
using nlohmann::json;
using server::app::LiveAction;

namespace {

constexpr const char* kId = "11feed00-0000-4000-8000-0000000011fe";
constexpr const char* kMessage = "Change window closes in 5 minutes <b>really</b>";

}  // namespace

TEST_CASE("an auditor watches a live session and controls it", "[browser][web][live]") {
  test::StorageWorld world;
  world.add_user("alice", storage::Role::auditor, "Alice-Live-1");
  world.add_user("ops1", storage::Role::user, "Ops-Live-1");
  // The recorder writes into the console's recordings folder, so "Play from start" finds it.
  test::TempDir recordings("rdpwarden-live");
  test::RecorderLiveSessions live(recordings.path(), kId);
  test::ConsoleHost host([&](server::Config& c) { c.recording.dir = recordings.path(); },
                         world.backend.get(), &live);
  world.add_session("ops1", "srv01", "administrator", kId, {}, true);

  // A colour change every 1.5 s; the first 14 s with a steady stream of frames in between
  // (segments close, so the recording so far has something to play), then an idle screen.
  test::DesktopPainter painter(live, std::chrono::milliseconds(1500), std::chrono::seconds(14));
  test::TempDir out("rdpwarden-live-browser");
  json input{
      {"base_url", host.base_url()}, {"auditor", {{"user", "alice"}, {"password", "Alice-Live-1"}}},
      {"session_id", kId},           {"probe", {{"x", 320}, {"y", 200}}},
      {"observe_ms", 20000},         {"message", kMessage}};
  if (const char* shots = std::getenv("RDPWARDEN_WEB_SCREENSHOTS"))
    input["screenshots_dir"] = shots;
  auto run = test::run_browser_script(
      test::source_dir() / "tests/browser/live.spec.mjs",
      {.env = {{"RDPWARDEN_WEB_TEST_CONFIG", input.dump()}}, .timeout = std::chrono::minutes(3)});
  INFO(run.log.substr(run.log.size() > 6000 ? run.log.size() - 6000 : 0));
  REQUIRE(run.ok());
  const auto& c = run.result["checks"];
  if (const char* dump = std::getenv("RDPWARDEN_WEB_LIVE_DUMP")) {
    std::ofstream(dump) << json{
        {"result", run.result},
        {"changes", [&] {
           json a = json::array();
           for (auto ch : painter.changes())
             a.push_back({ch.t_ms, ch.rgb});
           return a;
         }()}}.dump();
  }
  INFO(c["controls"].dump(2));

  // The list shows it live, with a way in.
  CHECK(c["list"]["live_badges"] == 1);
  CHECK(c["list"]["watch_links"] == 1);

  // The picture follows the desktop: every colour change while watching shows up, within 1 s
  // at the median and the 90th percentile (the machine is shared; single outliers happen).
  auto opened = c["opened_at"].get<std::int64_t>();
  auto delays = test::change_delays(painter.changes(), c["samples"], opened + 500,
                                    opened + input["observe_ms"].get<std::int64_t>());
  INFO("delays (ms): " << json(delays).dump());
  REQUIRE(delays.size() >= 8);
  auto seen = std::count_if(delays.begin(), delays.end(), [](auto d) { return d >= 0; });
  CHECK(seen >= static_cast<long>(delays.size()) - 1);
  CHECK(test::percentile(delays, 50) >= 0);
  CHECK(test::percentile(delays, 50) <= 1000);
  CHECK(test::percentile(delays, 90) <= 1000);
  // The second tab got the same stream (its own keyframe to start from).
  CHECK(c["second_tab"]["width"] == 640);
  CHECK(c["second_tab"]["samples"].size() >= 1);
  CHECK(live.watches_started() >= 3);  // two tabs, and the return from "Play from start"

  // The recording so far plays from its start, and "Jump to live" returns to the live view.
  INFO(c["recording"].dump());
  CHECK(c["recording"]["button"] == 1);
  CHECK(c["recording"]["playing"] == true);
  CHECK(c["recording"]["back_live"] == true);

  // Buttons follow the state.
  const auto& s = c["controls"];
  CHECK(s["initial"]["suspend"] == false);
  CHECK(s["initial"]["resume"] == true);
  // The control state came over the WebSocket: this tab (and maybe the one just closed).
  CHECK(s["initial"]["watchers"].get<std::string>().ends_with(" watching"));
  CHECK(s["suspended"]["suspend"] == true);
  CHECK(s["suspended"]["resume"] == false);
  CHECK(s["suspended_class"] == 1);
  CHECK(s["resumed"]["suspend"] == false);
  CHECK(s["resumed"]["resume"] == true);
  CHECK(s["message_field_after"] == "");
  CHECK(s["confirm_visible"] == true);
  for (auto b : {"suspend", "resume", "terminate", "send"})
    CHECK(s["ended"][b] == true);
  CHECK(s["ended"]["status"].get<std::string>().find("terminated by alice") != std::string::npos);

  // What reached LiveSessions: each action once, by alice, from the browser's address.
  auto commands = live.commands();
  REQUIRE(commands.size() == 4);
  const LiveAction expected[] = {LiveAction::suspend, LiveAction::resume, LiveAction::message,
                                 LiveAction::terminate};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(commands[i].action == expected[i]);
    CHECK(commands[i].actor == "alice");
    CHECK(commands[i].actor_address == "127.0.0.1");
    CHECK(commands[i].session_id == kId);
  }
  CHECK(commands[2].text == kMessage);
  CHECK(live.ended());

  CHECK(run.result["page_errors"].empty());
  for (const auto& line : run.result["console"]) {
    auto text = line.get<std::string>();
    CHECK(text.find("Content Security Policy") == std::string::npos);
  }
}
