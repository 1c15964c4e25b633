// The auditor console in headless Chromium: sign in, find a session, play it (the decoded
// picture is compared with ffmpeg's decode of the same recording), jump from a typed line, change
// speed, skip idle time, download; and the refusals: a user without the role, media without a
// cookie, a POST without the CSRF token.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/web/console_host.hpp"
#include "server/web/ffmpeg_decode.hpp"
#include "server/web/recorded_session.hpp"
#include "server/web/storage_world.hpp"
#include "support/browser_script.hpp"
#include "support/process.hpp"

using namespace rdpwarden;
using nlohmann::json;

namespace {

constexpr const char* kId = "b7d3c0de-0000-4000-8000-00000000b0b0";
constexpr const char* kSeekId = "b7d3c0de-0000-4000-8000-00000000b0b1";
constexpr int kProbeX = 40;
constexpr int kProbeY = 200;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Colours within a tolerance per channel (video compression and colour conversion differ a bit
// between decoders).
bool close_colour(const json& rgb, std::uint32_t expected) {
  int e[3] = {static_cast<int>((expected >> 16) & 255), static_cast<int>((expected >> 8) & 255),
              static_cast<int>(expected & 255)};
  for (int i = 0; i < 3; ++i) {
    if (std::abs(rgb.at(static_cast<std::size_t>(i)).get<int>() - e[i]) > 30) return false;
  }
  return true;
}

std::string hex(std::uint32_t c) {
  return fmt::format("#{:06x}", c);
}

// Where the synthetic desktop's moving block is (recorded_session.cpp): its centre at time t.
std::pair<int, int> block_centre(const test::RecordedSessionSpec& spec, std::int64_t t_ms) {
  constexpr int kBlock = 48;
  int span = spec.width - kBlock - 20;
  return {20 + static_cast<int>((t_ms / 50 * 4) % span) + kBlock / 2,
          spec.height - kBlock - 20 + kBlock / 2};
}

struct SeekSetup {
  test::RecordedSessionSpec spec;
  std::filesystem::path dir;
  json segment;  // the segment whose middle the test seeks into
  json next;     // the one after it
  std::int64_t target_ms = 0;
};

// A recording whose segments hold 300 frames each of moving content, and a target in the middle
// of a segment the player has not buffered on opening (it buffers ~20 s ahead).
SeekSetup record_long_segments(const std::filesystem::path& recordings) {
  SeekSetup s;
  s.spec.id = kSeekId;
  s.spec.duration_ms = 120000;
  s.spec.segment_seconds = 30;
  auto rec = test::record_session(recordings, s.spec);
  REQUIRE(rec.summary.complete);
  s.dir = rec.dir;
  auto manifest = json::parse(slurp(rec.dir / "manifest.json"));
  const auto& segments = manifest.at("segments");
  REQUIRE(segments.size() >= 4);
  // Opening the page buffers the first two segments and whatever starts within 20 s.
  for (std::size_t i = 2; i + 1 < segments.size(); ++i) {
    if (segments[i]["start_ms"].get<std::int64_t>() < 25000) continue;
    s.segment = segments[i];
    s.next = segments[i + 1];
    break;
  }
  REQUIRE(s.segment.is_object());
  REQUIRE(s.segment["duration_ms"].get<std::int64_t>() >= 20000);  // hundreds of frames
  s.target_ms = s.segment["start_ms"].get<std::int64_t>() +
                s.segment["duration_ms"].get<std::int64_t>() * 55 / 100 / 100 * 100 + 50;
  return s;
}

}  // namespace

TEST_CASE("an auditor finds, plays, searches and downloads a recording", "[browser][web]") {
  // The real data path but the gateway: PostgreSQL through StorageBackend, a real H.264
  // recording folder, the console server over TLS.
  test::StorageWorld world;
  world.add_user("alice", storage::Role::auditor, "Alice-Browser-1");
  world.add_user("ops1", storage::Role::user, "Ops-Browser-1");
  test::ConsoleHost host({}, world.backend.get());

  // The recording is made by the real recorder (codec::Recorder), typed text included.
  test::RecordedSessionSpec spec;
  spec.id = kId;
  spec.idle = {{32000, 47000}};
  spec.typed = {{3000, "whoami\n"},
                {21000, "sudo systemctl restart nginx <script>alert(1)</script>\n"},
                {51000, "cat /etc/hosts\n"}};
  auto rec = test::record_session(host.recordings(), spec);
  REQUIRE(rec.summary.complete);
  // Where the recorder put the typed line: the test clicks it in the timeline.
  std::int64_t typed_ms = -1;
  {
    std::ifstream events(rec.dir / "events.jsonl");
    for (std::string line; std::getline(events, line);) {
      auto ev = json::parse(line);
      if (ev["kind"] == "text" && ev.value("line", "").find("nginx") != std::string::npos)
        typed_ms = ev["t"].get<std::int64_t>();
    }
  }
  REQUIRE(typed_ms > 21000);
  std::uintmax_t recorded_bytes = 0;
  for (const auto& e : std::filesystem::directory_iterator(rec.dir))
    if (e.is_regular_file()) recorded_bytes += e.file_size();

  auto long_rec = record_long_segments(host.recordings());
  std::int64_t seek_frame_ms = long_rec.target_ms / 100 * 100;  // frames every 100 ms
  auto [block_x, block_y] = block_centre(long_rec.spec, seek_frame_ms);
  world.add_session("ops1", "srv02", "administrator", kSeekId, {}, false, 120000, 1);

  world.add_session("ops1", "srv01", "administrator", kId,
                    {"whoami", "sudo systemctl restart nginx", "cat /etc/hosts"}, false, 60000,
                    static_cast<std::int64_t>(recorded_bytes));

  test::TempDir out("rdpwarden-browser");
  auto base = std::string("/api/v1/sessions/") + kId;
  json input{{"base_url", host.base_url()},
             {"auditor", {{"user", "alice"}, {"password", "Alice-Browser-1"}}},
             {"user_role", {{"user", "ops1"}, {"password", "Ops-Browser-1"}}},
             {"session_id", kId},
             {"typed_event_ms", typed_ms},
             {"idle_probe_ms", 31000},
             {"idle_end_ms", 47000},
             {"probe", {{"x", kProbeX}, {"y", kProbeY}}},
             {"out_dir", out.path().string()},
             {"server_seek",
              {{"session_id", kSeekId},
               {"target_ms", long_rec.target_ms},
               {"boundary_ms", long_rec.next["start_ms"]},
               {"segment_start_ms", long_rec.segment["start_ms"]},
               {"block_row", block_y}}},
             {"protected_urls",
              {{"sessions", "/api/v1/sessions"},
               {"init", base + "/media/init.mp4"},
               {"segment", base + "/media/seg-000001.m4s"},
               {"thumbnail", base + "/media/thumbs/t-00000000.jpg"},
               {"download", base + "/download.mp4"},
               {"seek", base + "/seek?t=1000"},
               {"events", base + "/events"}}}};
  if (const char* shots = std::getenv("RDPWARDEN_WEB_SCREENSHOTS"))
    input["screenshots_dir"] = shots;
  auto run = test::run_browser_script(
      test::source_dir() / "tests/browser/console.spec.mjs",
      {.env = {{"RDPWARDEN_WEB_TEST_CONFIG", input.dump()}}, .timeout = std::chrono::minutes(4)});
  INFO(run.log.substr(run.log.size() > 6000 ? run.log.size() - 6000 : 0));
  REQUIRE(run.ok());
  const auto& result = run.result;
  INFO(result.dump(2));
  const auto& c = result["checks"];

  // The list shows the session with its facts.
  auto row_text = c["sessions_list"]["row_text"].get<std::string>();
  std::transform(row_text.begin(), row_text.end(), row_text.begin(),  // badges are upper-cased
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  for (auto part :
       {"ended", "ops1", "srv01", "administrator", "10.0.0.7", "1 min 00 s", "client-disconnect"})
    CHECK(row_text.find(part) != std::string::npos);
  CHECK(c["sessions_list"]["whoami"] == "alice");

  // It plays, and the picture is the recording's.
  CHECK(c["plays"]["t2"].get<double>() > c["plays"]["t1"].get<double>() + 0.4);
  const auto& played = c["plays"]["pixel"];
  CHECK(played["w"] == 640);
  auto played_t = static_cast<std::int64_t>(played["t"].get<double>() * 1000);
  auto expected_play = test::decoded_colour(rec.dir, played_t, kProbeX, kProbeY);
  INFO("played at " << played_t << " ms, expected " << hex(expected_play));
  CHECK(close_colour(played["rgb"], expected_play));
  CHECK(close_colour(played["rgb"], test::background_at(spec, played_t)));

  // A typed line jumps to its moment; the picture there is the recording's picture there.
  const auto& seek = c["event_seek"];
  CHECK(std::abs(seek["pixel"]["t"].get<double>() - typed_ms / 1000.0) < 0.5);
  auto expected_seek = test::decoded_colour(rec.dir, typed_ms, kProbeX, kProbeY);
  CHECK(close_colour(seek["pixel"]["rgb"], test::background_at(spec, typed_ms)));
  INFO("after seek expected " << hex(expected_seek));
  CHECK(close_colour(seek["pixel"]["rgb"], expected_seek));
  CHECK_FALSE(close_colour(seek["pixel"]["rgb"], expected_play));  // not the old picture
  CHECK(seek["current_entry"] == std::to_string(typed_ms));
  CHECK(seek["entry_text"].get<std::string>().find("<script>alert(1)</script>") !=
        std::string::npos);

  // Speeds: clearly faster than real time (the machine is shared, so not exactly `rate`).
  for (auto rate : {4, 16}) {
    const auto& s = c["speeds"][std::to_string(rate)];
    CHECK(s["rate"] == rate);
    CHECK(s["advanced"].get<double>() / s["wall"].get<double>() >= std::max(1.5, 0.3 * rate));
  }
  // Skip idle: the 15 s idle stretch is crossed in far less than 15 s at 1x.
  CHECK(c["skip_idle"]["idle_shaded"].get<int>() >= 1);
  CHECK(c["skip_idle"]["now"].get<double>() > 46.0);
  CHECK(c["skip_idle"]["wall"].get<double>() < 8.0);
  CHECK(c["keyboard"]["paused_before"] != c["keyboard"]["paused_after"]);
  CHECK(c["thumbnail"]["src"].get<std::string>().find("/media/thumbs/t-") != std::string::npos);
  CHECK(c["thumbnail"]["natural_width"] == 256);

  // The download is the recording.
  auto downloaded = slurp(c["download"]["path"].get<std::string>());
  std::string expected_mp4 = slurp(rec.dir / "init.mp4");
  for (int i = 1; std::filesystem::exists(rec.dir / fmt::format("seg-{:06}.m4s", i)); ++i)
    expected_mp4 += slurp(rec.dir / fmt::format("seg-{:06}.m4s", i));
  CHECK(downloaded.size() == expected_mp4.size());
  CHECK(downloaded == expected_mp4);
  CHECK(c["download"]["name"] == fmt::format("rdpwarden-{}.mp4", kId));

  // A seek into the middle of a long segment: the player asked for a seek fragment, never for
  // that segment from its start, and shows the picture of that moment — the moving block where
  // it was then, the same picture the old path (the whole segment decoded from its keyframe)
  // shows at the same position — then plays on across the next segment.
  {
    const auto& ss = c["server_seek"];
    INFO("seek target " << long_rec.target_ms << " ms in segment " << long_rec.segment.dump());
    // What a list of request URLs the page made asked for.
    struct Asked {
      bool seek_at_target = false;
      bool segment = false;
      bool next = false;
    };
    auto asked = [&](const json& requests) {
      Asked a;
      for (const auto& r : requests) {
        auto url = r.get<std::string>();
        auto pos = url.find("/seek?t=");
        if (pos != std::string::npos &&
            std::abs(std::stoll(url.substr(pos + 8)) - long_rec.target_ms) <= 1)
          a.seek_at_target = true;
        a.segment |= url.ends_with("/" + long_rec.segment["file"].get<std::string>());
        a.next |= url.ends_with("/" + long_rec.next["file"].get<std::string>());
      }
      return a;
    };
    auto first = asked(ss["requests"]);
    CHECK(first.seek_at_target);
    CHECK_FALSE(first.segment);
    CHECK(first.next);  // playback went on with the following segment
    CHECK(ss["video_error"].is_null());
    const auto& at = ss["at_target"];
    const auto& old_path = ss["whole_segment"];
    CHECK(std::abs(at["pixel"]["t"].get<double>() - long_rec.target_ms / 1000.0) < 0.05);
    CHECK(old_path["pixel"]["t"] == at["pixel"]["t"]);
    REQUIRE(at["block_x"].is_number());
    REQUIRE(old_path["block_x"].is_number());
    CHECK(at["block_x"] == old_path["block_x"]);
    // The block moves 8 px per frame. Chromium shows it a few frames behind where the
    // synthetic desktop drew it at that time, on both paths alike (measured: 4-5 frames); the
    // segment's keyframe, 16 s earlier, would put it hundreds of pixels away.
    auto drawn_x = block_x - 24;
    auto shown_x = at["block_x"].get<int>();
    INFO("block shown at x=" << shown_x << ", drawn at x=" << drawn_x << " at that time");
    CHECK(std::abs(shown_x - drawn_x) <= 56);
    CHECK(close_colour(at["pixel"]["rgb"], test::background_at(long_rec.spec, seek_frame_ms)));
    CHECK(
        close_colour(old_path["pixel"]["rgb"], test::background_at(long_rec.spec, seek_frame_ms)));
    // Across the boundary into the next segment, the picture is still the recording's.
    const auto& after = ss["after_boundary"];
    auto after_ms = static_cast<std::int64_t>(after["t"].get<double>() * 1000);
    CHECK(after_ms > long_rec.next["start_ms"].get<std::int64_t>());
    CHECK(close_colour(after["rgb"], test::background_at(long_rec.spec, after_ms)));
    CHECK(
        close_colour(after["rgb"], test::decoded_colour(long_rec.dir, after_ms, kProbeX, kProbeY)));
    INFO("seek ready after " << ss["ready_ms"] << " ms");

    // Into the segment already buffered whole, far from its keyframe: a seek fragment is laid
    // over it (no decode from the keyframe), and the picture is the same one.
    const auto& buffered = ss["buffered"];
    INFO("buffered seek: " << buffered.dump());
    CHECK(asked(buffered["first_requests"]).segment);  // the seek to its start appended it whole
    auto again = asked(buffered["requests"]);
    CHECK(again.seek_at_target);
    CHECK_FALSE(again.segment);  // not fetched again
    CHECK(buffered["video_error"].is_null());
    CHECK(buffered["pixel"]["t"] == at["pixel"]["t"]);
    CHECK(buffered["block_x"] == old_path["block_x"]);
  }

  // Refusals.
  CHECK(c["csrf"]["status"] == 403);
  CHECK(c["csrf"]["me_after"] == 200);
  for (const auto& [name, status] : c["no_cookie"].items()) {
    INFO(name);
    CHECK(status == 401);
  }
  CHECK(c["role_refused"]["message"].get<std::string>().find("may not use the console") !=
        std::string::npos);
  CHECK(c["role_refused"]["me"] == 401);
  CHECK(c["sign_out"]["me"] == 401);

  // No script errors, no CSP violations.
  CHECK(result["page_errors"].empty());
  for (const auto& line : result["console"]) {
    auto text = line.get<std::string>();
    CHECK(text.find("Content Security Policy") == std::string::npos);
    CHECK(text.find("Refused") == std::string::npos);
  }

  // What the auditor did is in the audit log, with where from.
  auto audit = world.audit();
  auto has = [&](storage::AuditAction action, const std::string& actor) {
    return std::any_of(audit.begin(), audit.end(), [&](const storage::AuditEntry& a) {
      return a.action == action && a.actor == actor && a.client_address == "127.0.0.1" &&
             a.actor_kind == storage::ActorKind::web;
    });
  };
  CHECK(has(storage::AuditAction::login_ok, "alice"));
  CHECK(has(storage::AuditAction::session_view, "alice"));
  CHECK(has(storage::AuditAction::session_play, "alice"));
  CHECK(has(storage::AuditAction::session_download, "alice"));
  CHECK(has(storage::AuditAction::login_logout, "alice"));
  CHECK(has(storage::AuditAction::login_fail, "ops1"));
}
