// StorageBackend against a real PostgreSQL: sign-in on the stored scrypt hashes, the session
// search as the console asks it, audit rows as the console writes them.
#include <boost/beast/http/field.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "server/web/storage_world.hpp"
#include "server/web/synthetic_recording.hpp"
#include "support/temp_dir.hpp"
#include "web/responses.hpp"
#include "web/web_app.hpp"

using namespace rdpwarden;
using namespace rdpwarden::server::web;
using test::StorageWorld;
namespace http = boost::beast::http;

TEST_CASE("sign-in checks the stored password hash and reports the role", "[web][storage]") {
  StorageWorld w;
  w.add_user("alice", storage::Role::auditor, "Alice-Pass-1");
  w.add_user("root", storage::Role::admin, "Root-Pass-1");
  w.add_user("ops1", storage::Role::user, "Ops-Pass-1");
  auto ok = w.backend->check_password("alice", "Alice-Pass-1");
  CHECK(ok.verdict == PasswordVerdict::ok);
  CHECK(ok.principal.name == "alice");
  CHECK(ok.principal.role == Role::auditor);
  CHECK(w.backend->check_password("root", "Root-Pass-1").principal.role == Role::admin);
  CHECK(w.backend->check_password("ops1", "Ops-Pass-1").principal.role == Role::user);
  CHECK(w.backend->check_password("alice", "alice-pass-1").verdict != PasswordVerdict::ok);
  CHECK(w.backend->check_password("nobody", "Alice-Pass-1").verdict != PasswordVerdict::ok);
}

TEST_CASE("the session search: live first, filters, typed text, pages", "[web][storage]") {
  StorageWorld w;
  w.add_user("ops1", storage::Role::user, "Ops-Pass-1");
  w.add_user("ops2", storage::Role::user, "Ops-Pass-2");
  auto a = w.add_session("ops1", "srv01", "administrator", {}, {"sudo systemctl restart nginx"});
  auto b = w.add_session("ops2", "srv02", "", {}, {"ls -la"});
  auto live = w.add_session("ops1", "srv02", "backup", {}, {}, true);
  auto all = w.backend->list_sessions({});
  REQUIRE(all.total == 3);
  CHECK(all.rows[0].id == live);
  CHECK(all.rows[0].state == SessionState::live);
  CHECK(all.rows[0].duration_ms >= 0);
  CHECK(all.rows[1].id == b);  // then newest first
  CHECK(all.rows[2].id == a);
  CHECK(all.rows[2].account == "administrator");
  CHECK(all.rows[2].duration_ms == 60000);
  CHECK(all.rows[2].end_reason == "client-disconnect");

  SessionQuery q;
  q.user = "ops1";
  CHECK(w.backend->list_sessions(q).total == 2);
  q = {};
  q.target = "srv02";
  q.state = SessionState::ended;
  CHECK(w.backend->list_sessions(q).rows.at(0).id == b);
  q = {};
  q.text = "nginx";
  auto found = w.backend->list_sessions(q);
  REQUIRE(found.total == 1);
  CHECK(found.rows[0].id == a);
  q = {};
  q.limit = 1;
  q.offset = 1;
  auto page = w.backend->list_sessions(q);
  CHECK(page.total == 3);
  REQUIRE(page.rows.size() == 1);
  CHECK(page.rows[0].id == b);

  CHECK(w.backend->find_session(a)->user == "ops1");
  CHECK_FALSE(w.backend->find_session("7a1b1e55-0000-4000-8000-000000000000"));
  CHECK_FALSE(w.backend->find_session("not-a-uuid"));
}

TEST_CASE("the console's actions land in the append-only audit log", "[web][storage]") {
  StorageWorld w;
  w.add_user("alice", storage::Role::auditor, "Alice-Pass-1");
  w.add_user("ops1", storage::Role::user, "Ops-Pass-1");
  auto id = w.add_session("ops1", "srv01", "administrator");
  test::SyntheticRecording rec;
  rec.id = id;
  rec.segments = {{0, 1000}};
  rec.duration_ms = 60000;

  auto config = std::make_shared<server::Config>();
  config->data_dir = w.dir / "data";
  config->recording.dir = w.dir / "recordings";
  test::write_synthetic_recording(config->recording.dir, rec);
  server::util::MetricsRegistry metrics;
  WebApp app(config, *w.backend, metrics);
  auto send = [&](http::verb verb, const std::string& target, const std::string& cookie,
                  const std::string& body = {}) {
    Request req{verb, target, 11};
    req.set(http::field::host, "console.test");
    if (!cookie.empty()) req.set(http::field::cookie, cookie);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    return app.handle(req, "198.51.100.23");
  };
  auto login =
      send(http::verb::post, "/api/v1/login", "", R"({"user":"alice","password":"Alice-Pass-1"})");
  REQUIRE(login.result_int() == 200);
  std::string cookie(login[http::field::set_cookie]);
  cookie = cookie.substr(0, cookie.find(';'));
  CHECK(send(http::verb::post, "/api/v1/login", "", R"({"user":"alice","password":"nope"})")
            .result_int() == 401);
  CHECK(send(http::verb::get, "/api/v1/sessions/" + id, cookie).result_int() == 200);
  CHECK(send(http::verb::get, "/api/v1/sessions/" + id + "/media/init.mp4", cookie).result_int() ==
        200);
  CHECK(send(http::verb::get, "/api/v1/sessions/" + id + "/download.mp4", cookie).result_int() ==
        200);
  auto list = send(http::verb::get, "/api/v1/sessions", cookie);
  REQUIRE(list.result_int() == 200);
  CHECK(nlohmann::json::parse(list.body().text)["sessions"][0]["id"] == id);

  auto audit = w.audit();
  std::vector<std::string> seen;
  for (const auto& e : audit) {
    if (e.actor_kind != storage::ActorKind::web) continue;
    seen.push_back(std::string(storage::to_string(e.action)));
    CHECK(e.actor == "alice");
    CHECK(e.client_address == "198.51.100.23");
    if (e.action == storage::AuditAction::session_view) CHECK(e.object == "session " + id);
  }
  CHECK(seen == std::vector<std::string>{"login.ok", "login.fail", "session.view", "session.play",
                                         "session.download"});
}
