// The console through WebApp::handle, without sockets: headers, static files, sign-in, CSRF,
// who may see what.
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
  CHECK(js[http::field::cache_control] == "private, max-age=300");
  CHECK(c.request(http::verb::get, "/")[http::field::cache_control] == "no-cache");
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

TEST_CASE("a database outage is a clean 503", "[web][app]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  c.backend.set_unavailable(true);
  auto res = c.request(http::verb::get, "/api/v1/sessions", {{"Cookie", cookie}});
  CHECK(res.result_int() == 503);
  CHECK(json::parse(body_bytes(res))["error"].get<std::string>().find("database") !=
        std::string::npos);
}
