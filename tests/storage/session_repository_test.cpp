// Session rows against a real PostgreSQL: life cycle, search, pagination, typed-text search.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using storage::SessionState;

namespace {
struct SessionFixture : StorageFixture {
  SessionFixture() {
    ops1 = db.users().add("ops1", storage::Role::user, "pw").id;
    ops2 = db.users().add("ops2", storage::Role::user, "pw").id;
    srv01 = db.targets().add({"srv01", "10.0.0.1", 3389, ""}).id;
    srv02 = db.targets().add({"srv02", "10.0.0.2", 3389, ""}).id;
    admin = db.accounts().add({"srv01", "admin", "CORP"}, "x").id;
  }
  storage::SessionEnd ended(SessionState state = SessionState::ended) {
    storage::SessionEnd end;
    end.state = state;
    end.reason = "client-disconnect";
    end.duration = std::chrono::milliseconds(65432);
    end.recording_bytes = 123456;
    return end;
  }
  storage::RowId ops1, ops2, srv01, srv02, admin;
};
}  // namespace

TEST_CASE("a session is created live and ended once") {
  SessionFixture f;
  auto id = f.db.sessions().create(new_session(f.ops1, f.srv01, f.admin, "192.0.2.10"));
  CHECK(id.size() == 36);
  auto live = f.db.sessions().get(id);
  REQUIRE(live);
  CHECK(live->state == SessionState::live);
  CHECK(live->user_name == "ops1");
  CHECK(live->target_name == "srv01");
  CHECK(live->account_login == "admin");
  CHECK(live->account_domain == "CORP");
  CHECK(live->client_address == "192.0.2.10");
  CHECK(live->worker_pid == 4242);
  CHECK_FALSE(live->ended_at);
  CHECK(f.db.sessions().live().size() == 1);

  f.db.sessions().end(id, f.ended());
  auto done = f.db.sessions().get(id);
  CHECK(done->state == SessionState::ended);
  CHECK(done->end_reason == "client-disconnect");
  CHECK(done->duration == std::chrono::milliseconds(65432));
  CHECK(done->recording_bytes == 123456);
  CHECK(done->ended_at);
  CHECK(f.db.sessions().live().empty());
  CHECK_THROWS_MATCHES(f.db.sessions().end(id, f.ended(SessionState::failed)),
                       storage::ConstraintViolation,
                       Catch::Message("session " + id + " has already ended"));
  CHECK_THROWS_AS(f.db.sessions().end("00000000-0000-0000-0000-000000000000", f.ended()),
                  storage::NotFound);
  CHECK_THROWS_AS(f.db.sessions().end(id, f.ended(SessionState::live)), storage::InvalidInput);
  CHECK_FALSE(f.db.sessions().get("not-a-uuid"));
}

TEST_CASE("a session can carry the id the gateway chose") {
  SessionFixture f;
  auto s = new_session(f.ops1, f.srv01);
  s.id = "4b0c1d8e-0000-4000-8000-000000000001";
  CHECK(f.db.sessions().create(s) == s.id);
  CHECK_THROWS_AS(f.db.sessions().create(s), storage::AlreadyExists);
  s.id = "../../etc";
  CHECK_THROWS_AS(f.db.sessions().create(s), storage::InvalidInput);
  CHECK_THROWS_AS(f.db.sessions().create(new_session(f.ops1, f.srv02, f.admin)),
                  storage::NotFound);  // the account belongs to srv01
  CHECK_THROWS_AS(f.db.sessions().create(new_session(f.ops1, f.srv01, std::nullopt, "x.y")),
                  storage::InvalidInput);
}

TEST_CASE("live sessions of a previous run are marked interrupted at start-up") {
  SessionFixture f;
  auto a = f.db.sessions().create(new_session(f.ops1, f.srv01));
  auto b = f.db.sessions().create(new_session(f.ops2, f.srv01));
  f.db.sessions().end(b, f.ended());
  CHECK(f.db.sessions().interrupt_live("gateway restarted") == 1);
  auto s = f.db.sessions().get(a);
  CHECK(s->state == SessionState::interrupted);
  CHECK(s->end_reason == "gateway restarted");
  CHECK(s->duration);
  CHECK(f.db.sessions().get(b)->end_reason == "client-disconnect");
}

TEST_CASE("sessions are searched by user, target, account, state and time, live first") {
  SessionFixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i)
    ids.push_back(f.db.sessions().create(
        new_session(i % 2 ? f.ops2 : f.ops1, i < 5 ? f.srv01 : f.srv02,
                    i == 0 ? std::optional<storage::RowId>(f.admin) : std::nullopt)));
  for (int i = 1; i < 7; ++i)
    if (i != 3) f.db.sessions().end(ids[i], f.ended());

  storage::SessionFilter all;
  all.limit = 3;
  auto page = f.db.sessions().list(all);
  CHECK(page.total == 7);
  REQUIRE(page.sessions.size() == 3);
  CHECK(page.sessions[0].state == SessionState::live);
  CHECK(page.sessions[1].state == SessionState::live);
  CHECK(page.sessions[2].id == ids[6]);  // then newest first
  all.offset = 6;
  CHECK(f.db.sessions().list(all).sessions.size() == 1);
  all.offset = 100;
  auto beyond = f.db.sessions().list(all);
  CHECK(beyond.sessions.empty());
  CHECK(beyond.total == 7);

  storage::SessionFilter by;
  by.user = "OPS2";
  CHECK(f.db.sessions().list(by).total == 3);
  by.target = "srv02";
  CHECK(f.db.sessions().list(by).total == 1);
  storage::SessionFilter account;
  account.account = "Admin";
  CHECK(f.db.sessions().list(account).total == 1);
  storage::SessionFilter live;
  live.state = SessionState::live;
  CHECK(f.db.sessions().list(live).total == 2);
  storage::SessionFilter window;
  window.started_from = std::chrono::system_clock::now() - std::chrono::hours(1);
  window.started_before = std::chrono::system_clock::now() + std::chrono::hours(1);
  CHECK(f.db.sessions().list(window).total == 7);
  window.started_from = std::chrono::system_clock::now() + std::chrono::minutes(30);
  CHECK(f.db.sessions().list(window).total == 0);
}

TEST_CASE("sessions are found by what was typed in them") {
  SessionFixture f;
  auto a = f.db.sessions().create(new_session(f.ops1, f.srv01));
  auto b = f.db.sessions().create(new_session(f.ops2, f.srv01));
  std::vector<storage::EventRecord> typed_a{
      {100, "text", R"({"line": "sudo systemctl restart nginx", "end": "enter"})"},
      {200, "key", R"({"sc": 28, "ext": false, "down": true, "text": "", "name": "Return"})"}};
  std::vector<storage::EventRecord> typed_b{
      {100, "text", R"({"line": "cat /etc/passwd", "end": "enter"})"},
      {300, "session.start", R"({"user": "nginx"})"}};  // not typed text
  f.db.events().append(a, typed_a);
  f.db.events().append(b, typed_b);

  auto search = [&](std::string text) {
    storage::SessionFilter filter;
    filter.text = std::move(text);
    std::vector<std::string> found;
    for (const auto& s : f.db.sessions().list(filter).sessions)
      found.push_back(s.id);
    return found;
  };
  CHECK(search("nginx") == std::vector<std::string>{a});
  CHECK(search("NGINX restart") == std::vector<std::string>{a});
  CHECK(search("\"systemctl restart\"") == std::vector<std::string>{a});
  CHECK(search("/etc/passwd") == std::vector<std::string>{b});
  CHECK(search("nginx or passwd").size() == 2);
  CHECK(search("reboot").empty());
  CHECK(search("'); DROP TABLE sessions; --").empty());
  CHECK(f.db.sessions().get(a));
}
