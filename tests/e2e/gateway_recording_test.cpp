// What the gateway records: the recording shows what the target showed, the events hold what
// the admin typed, and a worker killed mid-session leaves a playable recording.
#include <signal.h>
#include <thread>

#include <catch2/catch.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/mp4_export.hpp>

#include "gateway_scenario.hpp"
#include "support/image_compare.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

Image image_of(const codec::DecodedFrame& frame) {
  return Image(frame.width, frame.height, PixelFormat::kBgrx32, frame.bgrx)
      .converted(PixelFormat::kRgb24);
}

// The best match of `screen` among the recording's frames (lowest RMSE).
double best_rmse(const std::vector<codec::DecodedFrame>& frames, const Image& screen) {
  double best = 1.0;
  for (const auto& f : frames) {
    if (f.width == screen.width() && f.height == screen.height())
      best = std::min(best, rmse(image_of(f), screen));
  }
  return best;
}

std::optional<std::string> live_session_id(GatewayProcess& gateway) {
  auto live = gateway.db().sessions().live();
  if (live.size() != 1) return std::nullopt;
  return live[0].id;
}

}  // namespace

TEST_CASE("the recording shows the target's screens and the events hold the typed text") {
  GatewayScenario scenario;
  auto& target = scenario.target();
  auto& gateway = scenario.gateway();
  auto& client = scenario.connect();
  const auto before = scenario.same_screen(client);
  REQUIRE(before.matched);
  std::optional<std::string> id;
  REQUIRE(wait_until([&] { return (id = live_session_id(gateway)).has_value(); }, 10s));

  const auto file = target.work_dir() / "recorded.txt";
  client.type_text("echo recorded-line > " + file.string());
  client.press_keys("Return");
  REQUIRE(wait_until([&] { return file_text(file) == "recorded-line\n"; }, 15s));
  const auto after = scenario.same_screen(client);
  REQUIRE(after.matched);
  client.stop();
  REQUIRE(wait_until([&] { return gateway.db().sessions().live().empty(); }, 15s));
  INFO("gateway log:\n" << gateway.log());

  const auto dir = gateway.data_dir() / "recordings" / *id;
  const auto frames = codec::FrameDecoder::decode_session(dir);
  REQUIRE(!frames.empty());
  // Screens the admin saw are in the recording, and the last frame is the final screen.
  CHECK(best_rmse(frames, before.second) < 0.03);
  CHECK(rmse(image_of(frames.back()), after.second) < 0.03);

  auto row = gateway.db().sessions().get(*id);
  REQUIRE(row);
  CHECK(row->recording_bytes > 0);
  CHECK(!gateway.db().segments().list(*id).empty());
  bool typed = false;
  bool started = false;
  for (const auto& e : gateway.db().events().list(*id)) {
    if (e.kind == "text" && e.data_json.find("echo recorded-line") != std::string::npos)
      typed = true;
    if (e.kind == "session.start" && e.data_json.find("\"srv01\"") != std::string::npos)
      started = true;
  }
  CHECK(typed);
  CHECK(started);
  const auto manifest_text = file_text(dir / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_text, nullptr, false);
  CHECK(manifest.value("complete", false));
  CHECK(manifest.value("end_reason", "") == "client-disconnect");
  CHECK(manifest_text.find("Vault-Secret-9") == std::string::npos);
  CHECK(file_text(dir / "events.jsonl").find("Vault-Secret-9") == std::string::npos);
}

TEST_CASE("a worker killed mid-session leaves a playable recording") {
  GatewayScenario scenario;
  auto& gateway = scenario.gateway();
  auto& client = scenario.connect();
  REQUIRE(scenario.same_screen(client).matched);
  client.type_text("echo before-the-crash");
  std::this_thread::sleep_for(4s);  // past recording.flush_seconds: something is durable
  const auto sessions = gateway.sessions();
  REQUIRE(sessions.size() == 1);
  const auto id = sessions[0]["id"].get<std::string>();
  REQUIRE(::kill(sessions[0]["pid"].get<int>(), SIGKILL) == 0);
  CHECK(client.wait_for_exit(10s));

  CHECK(wait_until([&] { return gateway.db().sessions().live().empty(); }, 15s));
  auto row = gateway.db().sessions().get(id);
  REQUIRE(row);
  CHECK(row->state == storage::SessionState::failed);
  CHECK(row->recording_bytes > 0);
  const auto dir = gateway.data_dir() / "recordings" / id;
  const auto frames = codec::FrameDecoder::decode_session(dir);
  CHECK(!frames.empty());
  CHECK(!gateway.db().segments().list(id).empty());

  // The export of the interrupted recording plays: a standard MP4 that decodes.
  const auto mp4 = gateway.data_dir() / "crashed.mp4";
  const auto exported = codec::export_mp4(dir, mp4);
  CHECK(exported.frames > 0);
  CHECK(!codec::FrameDecoder::decode_file(mp4).empty());
  auto probe = run({"ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                    "default=nw=1:nk=1", mp4.string()});
  CHECK(probe.exit_code == 0);
  CHECK(std::stod(probe.out.empty() ? "0" : probe.out) > 0.0);
  CHECK(gateway.running());
}
