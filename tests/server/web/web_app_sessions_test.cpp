// The console through WebApp::handle, without sockets: the session API, media with Range and
// conditional requests, downloads, events and idle stretches, audit rows.
#include <fstream>

#include <boost/beast/http/field.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "server/web/console_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::server::web;
using rdpwarden::test::body_bytes;
using rdpwarden::test::Console;
using rdpwarden::test::kId;
using rdpwarden::test::kOtherId;
using rdpwarden::test::read_file;
using rdpwarden::test::row;
namespace http = boost::beast::http;
using nlohmann::json;

TEST_CASE("sessions list: filters, order, pagination, bad parameters", "[web][app][sessions]") {
  Console c;
  for (int i = 0; i < 7; ++i)
    c.backend.add_session(
        row("old-" + std::to_string(i), "ops3", "srv03", SessionState::ended, 1000 + i * 10));
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto get = [&](const std::string& q) {
    auto res = c.request(http::verb::get, "/api/v1/sessions" + q, {{"Cookie", cookie}});
    return std::make_pair(res.result_int(), json::parse(body_bytes(res)));
  };
  auto [code, all] = get("");
  REQUIRE(code == 200);
  CHECK(all["total"] == 9);
  CHECK(all["sessions"][0]["state"] == "live");  // live first
  CHECK(all["sessions"][1]["id"] == kId);        // then newest
  CHECK(all["sessions"][1]["duration_ms"] == 95000);
  CHECK(all["sessions"][1]["bytes"] == 123456);
  CHECK(all["sessions"][1]["end_reason"] == "client-disconnect");
  auto page2 = get("?user=ops3&limit=3&offset=3").second;
  CHECK(page2["total"] == 7);
  REQUIRE(page2["sessions"].size() == 3);
  CHECK(page2["sessions"][0]["id"] == "old-3");
  CHECK(get("?target=srv01").second["total"] == 1);
  CHECK(get("?state=live").second["sessions"][0]["id"] == kOtherId);
  CHECK(get("?q=rm%20-rf").second["sessions"][0]["id"] == kId);
  CHECK(get("?from=2000-01-01&to=2199-01-01").second["total"] == 9);
  CHECK(get("?to=2000-01-01").second["total"] == 0);
  for (auto q : {"?limit=0", "?limit=201", "?offset=-1", "?state=nap", "?from=yesterday",
                 "?limit=1x", "?to=2999-01-01", "?from=2026-13-01"}) {
    INFO(q);
    auto [bad, body] = get(q);
    CHECK(bad == 400);
    CHECK(body["error"].get<std::string>().find("parameter") != std::string::npos);
  }
}

TEST_CASE("session detail is audited as a view and lists the recording", "[web][app][sessions]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto res = c.request(http::verb::get, std::string("/api/v1/sessions/") + kId,
                       {{"Cookie", cookie}}, {}, "198.51.100.7");
  REQUIRE(res.result_int() == 200);
  auto j = json::parse(body_bytes(res));
  CHECK(j["session"]["user"] == "ops1");
  auto& rec = j["recording"];
  CHECK(rec["mime"] == "video/mp4; codecs=\"avc1.64001f\"");
  CHECK(rec["duration_ms"] == 95000);
  REQUIRE(rec["segments"].size() == 3);
  CHECK(rec["segments"][1]["start_ms"] == 30000);
  CHECK(rec["segments"][0]["url"] == c.media("seg-000001.m4s"));
  CHECK(rec["inits"][0]["url"] == c.media("init.mp4"));
  CHECK(rec["thumbnails"]["files"].size() == 10);
  auto audit = c.backend.audit();
  REQUIRE(audit.back().action == AuditAction::session_view);
  CHECK(audit.back().actor == "alice");
  CHECK(audit.back().session_id == kId);
  CHECK(audit.back().client_address == "198.51.100.7");
  CHECK(c.request(http::verb::get, "/api/v1/sessions/no-such-session", {{"Cookie", cookie}})
            .result_int() == 404);
}

TEST_CASE("media: types, Range, conditional requests, play audit", "[web][app][media]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto folder = c.recordings() / kId;
  auto init = c.request(http::verb::get, c.media("init.mp4"), {{"Cookie", cookie}});
  REQUIRE(init.result_int() == 200);
  CHECK(init[http::field::content_type] == "video/mp4");
  CHECK(init[http::field::accept_ranges] == "bytes");
  CHECK(body_bytes(init) == read_file(folder / "init.mp4"));
  c.request(http::verb::get, c.media("init.mp4"), {{"Cookie", cookie}});  // same playback
  auto plays = 0;
  for (const auto& a : c.backend.audit())
    plays += a.action == AuditAction::session_play;
  CHECK(plays == 1);

  auto seg_bytes = read_file(folder / "seg-000002.m4s");
  auto part = c.request(http::verb::get, c.media("seg-000002.m4s"),
                        {{"Cookie", cookie}, {"Range", "bytes=10-29"}});
  REQUIRE(part.result_int() == 206);
  CHECK(part[http::field::content_type] == "video/iso.segment");
  CHECK(part[http::field::content_range] == "bytes 10-29/" + std::to_string(seg_bytes.size()));
  CHECK(part[http::field::content_length] == "20");
  CHECK(body_bytes(part) == seg_bytes.substr(10, 20));

  auto etag = std::string(part[http::field::etag]);
  CHECK(c.request(http::verb::get, c.media("seg-000002.m4s"),
                  {{"Cookie", cookie}, {"If-None-Match", etag}})
            .result_int() == 304);
  auto stale = c.request(http::verb::get, c.media("seg-000002.m4s"),
                         {{"Cookie", cookie}, {"Range", "bytes=0-3"}, {"If-Range", "\"old\""}});
  CHECK(stale.result_int() == 200);  // If-Range mismatch: the whole file
  CHECK(body_bytes(stale) == seg_bytes);
  auto past = c.request(http::verb::get, c.media("seg-000002.m4s"),
                        {{"Cookie", cookie}, {"Range", "bytes=99999-"}});
  CHECK(past.result_int() == 416);
  CHECK(past[http::field::content_range] == "bytes */" + std::to_string(seg_bytes.size()));
  auto thumb = c.request(http::verb::get, c.media("thumbs/t-00010000.jpg"), {{"Cookie", cookie}});
  CHECK(thumb.result_int() == 200);
  CHECK(thumb[http::field::content_type] == "image/jpeg");
}

TEST_CASE("media: only files of this session's manifest", "[web][app][media][security]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  // seg-000005 exists in the other session's folder, not in this one's manifest.
  for (auto file :
       {"seg-000005.m4s", "manifest.json", "events.jsonl", "init-2.mp4", "thumbs/t-99999999.jpg",
        "..%2F4b0c1d8e-0000-4000-8000-000000000002%2Fseg-000005.m4s"}) {
    INFO(file);
    auto res = c.request(http::verb::get, c.media(file), {{"Cookie", cookie}});
    CHECK((res.result_int() == 404 || res.result_int() == 400));
  }
  auto other = c.request(http::verb::get,
                         std::string("/api/v1/sessions/") + kOtherId + "/media/seg-000005.m4s",
                         {{"Cookie", cookie}});
  CHECK(other.result_int() == 200);  // reachable through its own session
  CHECK(
      c.request(http::verb::get, "/api/v1/sessions/unknown-id/media/init.mp4", {{"Cookie", cookie}})
          .result_int() == 404);
}

TEST_CASE("download: one MP4 of init and segments, Range-capable, audited", "[web][app][media]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto folder = c.recordings() / kId;
  auto expected = read_file(folder / "init.mp4") + read_file(folder / "seg-000001.m4s") +
                  read_file(folder / "seg-000002.m4s") + read_file(folder / "seg-000003.m4s");
  auto url = std::string("/api/v1/sessions/") + kId + "/download.mp4";
  auto res = c.request(http::verb::get, url, {{"Cookie", cookie}});
  REQUIRE(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "video/mp4");
  CHECK(std::string(res[http::field::content_disposition]).find("attachment") != std::string::npos);
  CHECK(res[http::field::content_length] == std::to_string(expected.size()));
  CHECK(body_bytes(res) == expected);
  CHECK(c.backend.audit().back().action == AuditAction::session_download);
  auto audits = c.backend.audit().size();
  // A range across the boundary of two files (a resumed download) is not a new download.
  auto init_size = read_file(folder / "init.mp4").size();
  auto range = std::to_string(init_size - 5) + "-" + std::to_string(init_size + 9);
  auto part = c.request(http::verb::get, url, {{"Cookie", cookie}, {"Range", "bytes=" + range}});
  REQUIRE(part.result_int() == 206);
  CHECK(body_bytes(part) == expected.substr(init_size - 5, 15));
  CHECK(c.backend.audit().size() == audits);
}

TEST_CASE("events: the timeline without keystrokes, filters", "[web][app][events]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto get = [&](const std::string& q) {
    auto res = c.request(http::verb::get, std::string("/api/v1/sessions/") + kId + "/events" + q,
                         {{"Cookie", cookie}});
    REQUIRE(res.result_int() == 200);
    return json::parse(body_bytes(res));
  };
  auto all = get("");
  REQUIRE(all["events"].size() == 4);  // the key event and the torn line are not in it
  CHECK(all["events"][1]["kind"] == "text");
  CHECK(all["events"][1]["line"] == "sudo rm -rf /tmp/x");
  CHECK(all["truncated"] == false);
  CHECK(get("?kinds=key")["events"].size() == 1);
  CHECK(get("?kinds=text,click")["events"].size() == 2);
  CHECK(get("?from=1500&to=20001")["events"].size() == 2);
  auto limited = get("?limit=2");
  CHECK(limited["events"].size() == 2);
  CHECK(limited["truncated"] == true);
}

TEST_CASE("activity: idle stretches from frames and events", "[web][app][events]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto res = c.request(http::verb::get, std::string("/api/v1/sessions/") + kId + "/activity",
                       {{"Cookie", cookie}});
  REQUIRE(res.result_int() == 200);
  auto j = json::parse(body_bytes(res));
  // frames 0 500 1000 9000 30000 30100 60000 61000, events 0 1200 2000 20000 95000
  json expected = json::array({json::array({2000, 9000}), json::array({9000, 20000}),
                               json::array({20000, 30000}), json::array({30100, 60000}),
                               json::array({61000, 95000})});
  CHECK(j["idle"] == expected);
}

TEST_CASE("a recording whose desktop was resized: headers served, download refused",
          "[web][app][media]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  // Segment 3 switched to a second header after a resize.
  auto folder = c.recordings() / kId;
  std::filesystem::copy_file(folder / "init.mp4", folder / "init-2.mp4");
  auto manifest = json::parse(read_file(folder / "manifest.json"));
  manifest["inits"].push_back({{"file", "init-2.mp4"}, {"width", 1024}, {"height", 768}});
  manifest["segments"][2]["init"] = "init-2.mp4";
  std::ofstream(folder / "manifest.json", std::ios::trunc) << manifest.dump();
  auto detail = json::parse(body_bytes(
      c.request(http::verb::get, std::string("/api/v1/sessions/") + kId, {{"Cookie", cookie}})));
  CHECK(detail["recording"]["segments"][2]["init"] == "init-2.mp4");
  CHECK(detail["recording"]["inits"][1]["width"] == 1024);
  CHECK(c.request(http::verb::get, c.media("init-2.mp4"), {{"Cookie", cookie}}).result_int() ==
        200);
  auto dl = c.request(http::verb::get, std::string("/api/v1/sessions/") + kId + "/download.mp4",
                      {{"Cookie", cookie}});
  CHECK(dl.result_int() == 409);
  CHECK(json::parse(body_bytes(dl))["error"].get<std::string>().find("rdpwarden export") !=
        std::string::npos);
}

TEST_CASE("activity: repeat frames (the unchanged picture) are not activity",
          "[web][app][events]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  test::SyntheticRecording rec;  // replaces the other session's recording
  rec.id = kOtherId;
  rec.segments = {{0, 100, 3100, 9000}};
  rec.repeat_frames = {3100};  // written at a flush, lasting until the next change at 9000
  rec.duration_ms = 12000;
  std::filesystem::remove_all(c.recordings() / kOtherId);
  test::write_synthetic_recording(c.recordings(), rec);
  auto res = c.request(http::verb::get, std::string("/api/v1/sessions/") + kOtherId + "/activity",
                       {{"Cookie", cookie}});
  REQUIRE(res.result_int() == 200);
  CHECK(json::parse(body_bytes(res))["idle"] ==
        json::array({json::array({100, 9000}), json::array({9000, 12000})}));
}

TEST_CASE("a live session's manifest (end_reason null) is read", "[web][app][sessions]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto path = c.recordings() / kId / "manifest.json";
  auto manifest = json::parse(read_file(path));
  manifest["complete"] = false;
  manifest["end_reason"] = nullptr;
  manifest["inits"][0]["first_segment"] = 1;
  std::ofstream(path, std::ios::trunc) << manifest.dump();
  auto res =
      c.request(http::verb::get, std::string("/api/v1/sessions/") + kId, {{"Cookie", cookie}});
  REQUIRE(res.result_int() == 200);
  auto j = json::parse(body_bytes(res));
  CHECK(j["recording"]["complete"] == false);
  CHECK(j["recording"]["end_reason"] == "");
}
