// Issue 7 through WebApp, without sockets: the control routes (suspend, resume, terminate,
// message) reach app::LiveSessions with the actor and address, need the CSRF token and a
// same-origin request, refuse users without the role and bad messages; the live view's
// WebSocket admission checks cookie, origin and liveness; lists and details say what is
// watchable.
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
namespace http = boost::beast::http;
using nlohmann::json;
using server::app::LiveAction;

namespace {

const std::string kLive = kOtherId;  // the fixture's live session

std::string control_url(const std::string& id, const std::string& action) {
  return "/api/v1/sessions/" + id + "/" + action;
}

struct Signed {
  std::string cookie;
  std::string csrf;
};

test::Headers post_headers(const Signed& s) {
  return {{"Cookie", s.cookie},
          {"X-CSRF-Token", s.csrf},
          {"Origin", "https://console.test:8443"},
          {"Content-Type", "application/json"}};
}

test::Headers upgrade_headers(const std::string& cookie, const std::string& origin) {
  test::Headers h{{"Connection", "Upgrade"},
                  {"Upgrade", "websocket"},
                  {"Sec-WebSocket-Version", "13"},
                  {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  if (!cookie.empty()) h.emplace_back("Cookie", cookie);
  if (!origin.empty()) h.emplace_back("Origin", origin);
  return h;
}

}  // namespace

TEST_CASE("controls reach LiveSessions with the actor and the address", "[web][app][live]") {
  Console c;
  c.backend.add_user({"root", "Root-Pass-1", Role::admin});
  c.live.set_live(kLive, true);
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  Signed alice{cookie, csrf};

  auto res = c.request(http::verb::post, control_url(kLive, "suspend"), post_headers(alice), "",
                       "198.51.100.7");
  REQUIRE(res.result_int() == 200);
  auto body = json::parse(body_bytes(res));
  CHECK(body["suspended"] == true);
  CHECK(body["ended"] == false);
  // The detail now says so (buttons reflect state on a fresh page).
  auto detail = json::parse(body_bytes(
      c.request(http::verb::get, "/api/v1/sessions/" + kLive, {{"Cookie", alice.cookie}})));
  CHECK(detail["session"]["live"]["watchable"] == true);
  CHECK(detail["session"]["live"]["suspended"] == true);

  CHECK(
      c.request(http::verb::post, control_url(kLive, "resume"), post_headers(alice)).result_int() ==
      200);
  res = c.request(http::verb::post, control_url(kLive, "message"), post_headers(alice),
                  R"({"text":"  Please stop: change window closed.  "})");
  CHECK(res.result_int() == 200);
  CHECK(json::parse(body_bytes(res))["suspended"] == false);
  auto [root_cookie, root_csrf] = c.sign_in("root", "Root-Pass-1");
  res = c.request(http::verb::post, control_url(kLive, "terminate"),
                  post_headers({root_cookie, root_csrf}));
  CHECK(res.result_int() == 200);
  CHECK(json::parse(body_bytes(res))["ended"] == true);

  auto commands = c.live.commands();
  REQUIRE(commands.size() == 4);
  CHECK(commands[0].action == LiveAction::suspend);
  CHECK(commands[0].actor == "alice");
  CHECK(commands[0].actor_address == "198.51.100.7");
  CHECK(commands[0].session_id == kLive);
  CHECK(commands[1].action == LiveAction::resume);
  CHECK(commands[2].action == LiveAction::message);
  CHECK(commands[2].text == "Please stop: change window closed.");  // trimmed
  CHECK(commands[3].action == LiveAction::terminate);
  CHECK(commands[3].actor == "root");  // admins may terminate too

  // Terminated: no longer live, a second terminate is a conflict, not a success.
  CHECK(c.request(http::verb::post, control_url(kLive, "terminate"), post_headers(alice))
            .result_int() == 409);
  // The console writes no audit rows of its own for controls: the implementation does.
  for (const auto& a : c.backend.audit())
    CHECK(a.action != AuditAction::session_download);
}

TEST_CASE("the console shows the gateway's control state, also what the CLI did",
          "[web][app][live]") {
  Console c;
  c.live.set_live(kLive, true);
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto live_of = [&] {
    return json::parse(body_bytes(c.request(http::verb::get, "/api/v1/sessions/" + kLive,
                                            {{"Cookie", cookie}})))["session"]["live"];
  };
  CHECK(live_of() == json{{"watchable", true}, {"suspended", false}, {"watchers", 0}});
  // Suspended from the CLI: a fresh page and the list show it; the console did nothing.
  c.live.set_suspended(kLive, true);
  CHECK(live_of()["suspended"] == true);
  auto list =
      json::parse(body_bytes(c.request(http::verb::get, "/api/v1/sessions", {{"Cookie", cookie}})));
  CHECK(list["sessions"][0]["live"]["suspended"] == true);
  // A resume from the console answers with the gateway's state too.
  auto res =
      c.request(http::verb::post, control_url(kLive, "resume"), post_headers({cookie, csrf}));
  REQUIRE(res.result_int() == 200);
  CHECK(json::parse(body_bytes(res))["suspended"] == false);
  CHECK(live_of()["suspended"] == false);
  // Resumed from the CLI after a console suspend: the console does not keep its own idea.
  REQUIRE(c.request(http::verb::post, control_url(kLive, "suspend"), post_headers({cookie, csrf}))
              .result_int() == 200);
  c.live.set_suspended(kLive, false);
  CHECK(live_of()["suspended"] == false);
  c.live.set_live(kLive, false);
  CHECK(live_of() == json{{"watchable", false}, {"suspended", false}, {"watchers", 0}});
}

TEST_CASE("controls need CSRF, same origin, a signed-in auditor", "[web][app][live][security]") {
  Console c;
  c.live.set_live(kLive, true);
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto url = control_url(kLive, "terminate");
  CHECK(c.request(http::verb::post, url, {{"Cookie", cookie}}).result_int() == 403);
  CHECK(c.request(http::verb::post, url, {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "0"}})
            .result_int() == 403);
  CHECK(c.request(http::verb::post, url,
                  {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Origin", "https://evil.test"}})
            .result_int() == 403);
  CHECK(c.request(http::verb::post, url, {{"X-CSRF-Token", csrf}}).result_int() == 401);
  CHECK(c.request(http::verb::get, url, {{"Cookie", cookie}}).result_int() == 405);
  // A user-role account cannot even sign in, so it never gets a cookie for these routes.
  CHECK(c.request(http::verb::post, "/api/v1/login", {{"Content-Type", "application/json"}},
                  R"({"user":"ops1","password":"Ops-Pass-1"})")
            .result_int() == 403);
  CHECK(c.live.commands().empty());
  CHECK(c.live.is_live(kLive));
}

TEST_CASE("control answers: unknown, not live, bad messages, no gateway", "[web][app][live]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  Signed alice{cookie, csrf};
  // Ended session (in the database, not live): 409; unknown session: 404.
  CHECK(
      c.request(http::verb::post, control_url(kId, "suspend"), post_headers(alice)).result_int() ==
      409);
  CHECK(c.request(http::verb::post, control_url("4b0c1d8e-0000-4000-8000-0000000000ff", "suspend"),
                  post_headers(alice))
            .result_int() == 404);
  CHECK(c.request(http::verb::post, control_url(kId, "reboot"), post_headers(alice)).result_int() ==
        404);
  c.live.set_live(kLive, true);
  auto message = [&](const std::string& body) {
    auto res =
        c.request(http::verb::post, control_url(kLive, "message"), post_headers(alice), body);
    return std::make_pair(res.result_int(), json::parse(body_bytes(res)).value("error", ""));
  };
  CHECK(message("").first == 400);
  CHECK(message("not json").first == 400);
  CHECK(message(R"({"text":42})").first == 400);
  CHECK(message(R"({"text":"   "})").second == "the message is empty");
  CHECK(message(json{{"text", std::string(501, 'x')}}.dump()).first == 400);
  CHECK(message(json{{"text", std::string(500, 'x')}}.dump()).first == 200);
  CHECK(message(R"({"text":"bell\u0007"})").second == "the message holds control characters");
  CHECK(message("{\"text\":\"\xff\xfe\"}").first == 400);  // not UTF-8
  CHECK(message(R"({"text":"two\nlines ünïcode"})").first == 200);
  CHECK(c.live.commands().size() == 2);
  // The gateway refuses (e.g. a message to a session that cannot show one).
  c.live.set_result(server::app::LiveResult::invalid);
  CHECK(c.request(http::verb::post, control_url(kLive, "suspend"), post_headers(alice))
            .result_int() == 400);

  // A console without LiveSessions: 503, and nothing is watchable.
  test::AppHarness bare(false);
  bare.backend.add_user({"alice", "Alice-Pass-1", Role::auditor});
  bare.backend.add_session(test::row(kLive, "ops2", "srv02", SessionState::live, 5));
  auto [bc, bt] = bare.sign_in("alice", "Alice-Pass-1");
  CHECK(bare.request(http::verb::post, control_url(kLive, "suspend"), post_headers({bc, bt}))
            .result_int() == 503);
  auto list =
      json::parse(body_bytes(bare.request(http::verb::get, "/api/v1/sessions", {{"Cookie", bc}})));
  CHECK(list["sessions"][0]["live"].is_null());
}

TEST_CASE("the live list marks what can be watched", "[web][app][live]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto list = [&] {
    return json::parse(
        body_bytes(c.request(http::verb::get, "/api/v1/sessions", {{"Cookie", cookie}})));
  };
  // The database says live, the gateway does not know it (e.g. it crashed): not watchable.
  auto l = list();
  CHECK(l["sessions"][0]["id"] == kLive);
  CHECK(l["sessions"][0]["live"]["watchable"] == false);
  CHECK(l["sessions"][1].contains("live") == false);  // ended sessions carry no live state
  c.live.set_live(kLive, true);
  CHECK(list()["sessions"][0]["live"]["watchable"] == true);
}

TEST_CASE("the live view's WebSocket admission", "[web][app][live][security]") {
  Console c;
  c.live.set_live(kLive, true);
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto url = "/api/v1/sessions/" + kLive + "/live";
  auto admit = [&](const std::string& target, const test::Headers& headers) {
    auto req = c.make_request(http::verb::get, target, headers);
    return c.app->admit_upgrade(req, "203.0.113.5");
  };
  auto status = [](const std::variant<LiveGrant, Response>& v) {
    return std::holds_alternative<Response>(v) ? std::get<Response>(v).result_int() : 101u;
  };
  const std::string origin = "https://console.test:8443";

  auto ok = admit(url, upgrade_headers(cookie, origin));
  REQUIRE(std::holds_alternative<LiveGrant>(ok));
  CHECK(std::get<LiveGrant>(ok).actor == "alice");
  CHECK(std::get<LiveGrant>(ok).actor_address == "203.0.113.5");
  CHECK(std::get<LiveGrant>(ok).session_id == kLive);

  CHECK(status(admit(url, upgrade_headers("", origin))) == 401);
  CHECK(status(admit(url, upgrade_headers("__Host-rdpw_session=forged", origin))) == 401);
  CHECK(status(admit(url, upgrade_headers(cookie, ""))) == 403);  // no Origin
  CHECK(status(admit(url, upgrade_headers(cookie, "https://evil.test"))) == 403);
  CHECK(status(admit("/api/v1/sessions/" + std::string(kId) + "/live",
                     upgrade_headers(cookie, origin))) == 409);  // ended
  CHECK(status(admit("/api/v1/sessions/4b0c1d8e-0000-4000-8000-0000000000ff/live",
                     upgrade_headers(cookie, origin))) == 404);
  CHECK(status(admit("/api/v1/sessions", upgrade_headers(cookie, origin))) == 404);
  CHECK(status(admit("/api/v1/sessions/../live", upgrade_headers(cookie, origin))) >= 400);
  // A plain GET of the WebSocket route: 426 Upgrade Required.
  auto plain = c.request(http::verb::get, url, {{"Cookie", cookie}});
  CHECK(plain.result_int() == 426);
  CHECK(plain[http::field::upgrade] == "websocket");
}

TEST_CASE("a live page follows the growing recording without new audit rows", "[web][app][live]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto before = c.backend.audit().size();
  auto url = std::string("/api/v1/sessions/") + kId + "/recording";
  auto res = c.request(http::verb::get, url, {{"Cookie", cookie}});
  REQUIRE(res.result_int() == 200);
  auto j = json::parse(body_bytes(res));
  CHECK(j["state"] == "ended");
  CHECK(j["recording"]["segments"].size() == 3);
  CHECK(j["recording"]["segments"][0]["url"].get<std::string>().find("/media/") !=
        std::string::npos);
  CHECK(c.backend.audit().size() == before);
  CHECK(c.request(http::verb::get, url).result_int() == 401);
  CHECK(c.request(http::verb::get,
                  "/api/v1/sessions/4b0c1d8e-0000-4000-8000-0000000000ff/recording",
                  {{"Cookie", cookie}})
            .result_int() == 404);
}
