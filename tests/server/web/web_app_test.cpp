// The console end to end through WebApp::handle, without sockets: sign-in, CSRF, the session
// API, media with Range and conditional requests, downloads, audit rows, security headers.
#include <fstream>

#include <boost/beast/http/field.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "server/web/synthetic_recording.hpp"
#include "server/web/web_app_support.hpp"

using namespace rdpwarden;
using namespace rdpwarden::server::web;
using rdpwarden::test::AppHarness;
using rdpwarden::test::body_bytes;
using rdpwarden::test::read_file;
namespace http = boost::beast::http;
using nlohmann::json;
using std::chrono::system_clock;

namespace {

constexpr const char* kId = "4b0c1d8e-0000-4000-8000-000000000001";
constexpr const char* kOtherId = "4b0c1d8e-0000-4000-8000-000000000002";

SessionRow row(std::string id, std::string user, std::string target, SessionState state,
               int minutes_ago) {
  SessionRow r;
  r.id = std::move(id);
  r.user = std::move(user);
  r.target = std::move(target);
  r.account = "administrator";
  r.client_address = "10.9.9.9";
  r.state = state;
  r.started_at = system_clock::now() - std::chrono::minutes(minutes_ago);
  r.duration_ms = 95000;
  r.bytes = 123456;
  r.end_reason = state == SessionState::live ? "" : "client-disconnect";
  return r;
}

struct Console : AppHarness {
  Console() {
    backend.add_user({"alice", "Alice-Pass-1", Role::auditor});
    backend.add_user({"ops1", "Ops-Pass-1", Role::user});
    backend.add_session(row(kId, "ops1", "srv01", SessionState::ended, 60), {"sudo rm -rf /tmp/x"});
    backend.add_session(row(kOtherId, "ops2", "srv02", SessionState::live, 5), {"ls"});
    test::SyntheticRecording rec;
    rec.id = kId;
    rec.segments = {{0, 500, 1000, 9000}, {30000, 30100, 60000}, {60000, 61000}};
    rec.segments[1].pop_back();
    rec.duration_ms = 95000;
    rec.thumbnails = true;
    rec.events = {
        R"({"t":0,"kind":"session.start","user":"ops1","target":"srv01","account":"administrator","client":"10.9.9.9"})",
        R"({"t":1200,"kind":"key","sc":30,"ext":false,"down":true,"text":"a","name":"a"})",
        R"({"t":2000,"kind":"text","line":"sudo rm -rf /tmp/x","end":"enter"})",
        R"({"t":20000,"kind":"click","button":"left","x":10,"y":20})",
        "{torn line",
        R"({"t":95000,"kind":"session.end","reason":"client-disconnect"})"};
    test::write_synthetic_recording(recordings(), rec);
    // The other session has a recording with more segments: its files must not be reachable
    // through the first session's id.
    test::SyntheticRecording other;
    other.id = kOtherId;
    other.segments = {{0}, {30000}, {60000}, {90000}, {120000}};
    other.duration_ms = 121000;
    test::write_synthetic_recording(recordings(), other);
  }
  std::string media(const std::string& file) {
    return std::string("/api/v1/sessions/") + kId + "/media/" + file;
  }
};

}  // namespace

TEST_CASE("every response carries the security headers", "[web][app][security]") {
  Console c;
  auto res = c.request(http::verb::get, "/");
  CHECK(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "text/html; charset=utf-8");
  auto csp = std::string(res["Content-Security-Policy"]);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(res["X-Content-Type-Options"] == "nosniff");
  CHECK(res["Referrer-Policy"] == "no-referrer");
  CHECK(res["X-Frame-Options"] == "DENY");
  auto err = c.request(http::verb::get, "/api/v1/sessions");
  CHECK(err.result_int() == 401);
  CHECK(err["Content-Security-Policy"] == csp);
  CHECK(err[http::field::cache_control] == "no-store");
}

TEST_CASE("static files: app shell, assets, HEAD, 304, no traversal", "[web][app][static]") {
  Console c;
  CHECK(body_bytes(c.request(http::verb::get, "/sessions/abc")).find("<title>console") !=
        std::string::npos);
  auto js = c.request(http::verb::get, "/js/app.js");
  REQUIRE(js.result_int() == 200);
  CHECK(js[http::field::content_type] == "text/javascript; charset=utf-8");
  CHECK(js[http::field::cache_control] == "no-cache");
  auto etag = std::string(js[http::field::etag]);
  auto again = c.request(http::verb::get, "/js/app.js", {{"If-None-Match", etag}});
  CHECK(again.result_int() == 304);
  CHECK(body_bytes(again).empty());
  auto head = c.request(http::verb::head, "/js/app.js");
  CHECK(head.result_int() == 200);
  CHECK(head[http::field::content_length] == "20");
  CHECK(body_bytes(head).empty());
  CHECK(c.request(http::verb::get, "/js/missing.js").result_int() == 404);
  CHECK(c.request(http::verb::get, "/js/%2e%2e/index.html").result_int() == 400);
  CHECK(c.request(http::verb::get, "/js/.hidden").result_int() == 404);
  std::filesystem::create_symlink("/etc/passwd", c.config->web.static_dir / "js" / "link.js");
  CHECK(c.request(http::verb::get, "/js/link.js").result_int() == 404);
}

TEST_CASE("healthz and metrics", "[web][app]") {
  Console c;
  auto h = c.request(http::verb::get, "/healthz");
  CHECK(h.result_int() == 200);
  CHECK(body_bytes(h) == "ok\n");
  c.request(http::verb::get, "/nope");
  c.app->count_response(404);
  auto m = c.request(http::verb::get, "/metrics");
  CHECK(m.result_int() == 200);
  CHECK(m[http::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
  auto text = body_bytes(m);
  for (auto name :
       {"rdpwarden_sessions_active", "rdpwarden_recorded_bytes_total",
        "rdpwarden_encoder_queue_depth", "rdpwarden_http_requests_total{code=\"404\"} 1"})
    CHECK(text.find(name) != std::string::npos);
}

TEST_CASE("sign-in, /me, sign-out", "[web][app][auth]") {
  Console c;
  auto wrong_type = c.request(http::verb::post, "/api/v1/login", {{"Content-Type", "text/plain"}},
                              R"({"user":"alice","password":"Alice-Pass-1"})");
  CHECK(wrong_type.result_int() == 415);
  auto malformed = c.request(http::verb::post, "/api/v1/login",
                             {{"Content-Type", "application/json"}}, "{\"user\": 1}");
  CHECK(malformed.result_int() == 400);
  auto bad = c.request(http::verb::post, "/api/v1/login", {{"Content-Type", "application/json"}},
                       R"({"user":"alice","password":"nope"})");
  CHECK(bad.result_int() == 401);
  CHECK(bad.find(http::field::set_cookie) == bad.end());
  auto user_role =
      c.request(http::verb::post, "/api/v1/login", {{"Content-Type", "application/json"}},
                R"({"user":"ops1","password":"Ops-Pass-1"})");
  CHECK(user_role.result_int() == 403);
  CHECK(user_role.find(http::field::set_cookie) == user_role.end());

  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto me = c.request(http::verb::get, "/api/v1/me", {{"Cookie", cookie}});
  REQUIRE(me.result_int() == 200);
  auto j = json::parse(body_bytes(me));
  CHECK(j["user"] == "alice");
  CHECK(j["role"] == "auditor");
  CHECK(j["csrf_token"] == csrf);

  auto logout =
      c.request(http::verb::post, "/api/v1/logout", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  CHECK(logout.result_int() == 204);
  CHECK(std::string(logout[http::field::set_cookie]).find("Max-Age=0") != std::string::npos);
  CHECK(c.request(http::verb::get, "/api/v1/me", {{"Cookie", cookie}}).result_int() == 401);
}

TEST_CASE("the console session expires when idle", "[web][app][auth]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  c.now += std::chrono::minutes(c.config->web.session_idle_minutes) + std::chrono::seconds(1);
  auto res = c.request(http::verb::get, "/api/v1/sessions", {{"Cookie", cookie}});
  CHECK(res.result_int() == 401);
  CHECK(std::string(res[http::field::set_cookie]).find("Max-Age=0") != std::string::npos);
}

TEST_CASE("sign-in is throttled and answers 429 with Retry-After", "[web][app][auth]") {
  Console c;
  for (int i = 0; i < c.config->web.login_max_failures; ++i)
    c.request(http::verb::post, "/api/v1/login", {{"Content-Type", "application/json"}},
              R"({"user":"alice","password":"guess"})");
  auto res = c.request(http::verb::post, "/api/v1/login", {{"Content-Type", "application/json"}},
                       R"({"user":"alice","password":"Alice-Pass-1"})");
  CHECK(res.result_int() == 429);
  CHECK(res[http::field::retry_after] == std::to_string(c.config->web.login_lockout_seconds));
}

TEST_CASE("state changes need the CSRF token and a same-origin request", "[web][app][security]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  CHECK(c.request(http::verb::post, "/api/v1/logout", {{"Cookie", cookie}}).result_int() == 403);
  CHECK(c.request(http::verb::post, "/api/v1/logout",
                  {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "x"}})
            .result_int() == 403);
  CHECK(c.request(http::verb::post, "/api/v1/logout",
                  {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Origin", "https://evil.test"}})
            .result_int() == 403);
  CHECK(c.request(http::verb::post, "/api/v1/logout",
                  {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Sec-Fetch-Site", "cross-site"}})
            .result_int() == 403);
  // Sign-in from another site is refused before any password check.
  int checks = c.backend.password_checks();
  CHECK(c.request(http::verb::post, "/api/v1/login",
                  {{"Content-Type", "application/json"}, {"Origin", "https://evil.test"}},
                  R"({"user":"alice","password":"Alice-Pass-1"})")
            .result_int() == 403);
  CHECK(c.backend.password_checks() == checks);
  // Still signed in: none of the refused requests changed anything.
  CHECK(c.request(http::verb::get, "/api/v1/me", {{"Cookie", cookie}}).result_int() == 200);
  CHECK(c.request(
             http::verb::post, "/api/v1/logout",
             {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Origin", "https://console.test:8443"}})
            .result_int() == 204);
}

TEST_CASE("API and media routes require a signed-in auditor", "[web][app][security]") {
  Console c;
  for (auto target :
       {"/api/v1/sessions", "/api/v1/me", "/api/v1/sessions/4b0c1d8e-0000-4000-8000-000000000001",
        "/api/v1/sessions/4b0c1d8e-0000-4000-8000-000000000001/events",
        "/api/v1/sessions/4b0c1d8e-0000-4000-8000-000000000001/media/init.mp4",
        "/api/v1/sessions/4b0c1d8e-0000-4000-8000-000000000001/download.mp4"}) {
    INFO(target);
    CHECK(c.request(http::verb::get, target).result_int() == 401);
    CHECK(c.request(http::verb::get, target, {{"Cookie", "__Host-rdpw_session=forged"}})
              .result_int() == 401);
  }
  CHECK(c.backend.audit().empty());
}

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

TEST_CASE("a database outage is a clean 503", "[web][app]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  c.backend.set_unavailable(true);
  auto res = c.request(http::verb::get, "/api/v1/sessions", {{"Cookie", cookie}});
  CHECK(res.result_int() == 503);
  CHECK(json::parse(body_bytes(res))["error"].get<std::string>().find("database") !=
        std::string::npos);
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
