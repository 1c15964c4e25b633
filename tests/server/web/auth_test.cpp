// Cookies, the console session store, throttling and the sign-in decision — without sockets.
#include <catch2/catch.hpp>

#include "server/web/fake_backend.hpp"
#include "web/cookies.hpp"
#include "web/login_throttle.hpp"
#include "web/sign_in.hpp"
#include "web/web_session_store.hpp"

using namespace rdpwarden::server::web;
using rdpwarden::test::FakeBackend;
using namespace std::chrono;

namespace {
struct FakeClock {
  steady_clock::time_point now = steady_clock::time_point(hours(1000));
  auto fn() {
    return [this] { return now; };
  }
};
}  // namespace

TEST_CASE("finds the session cookie among others", "[web][cookies]") {
  CHECK(find_cookie("a=1; __Host-rdpw_session=tok; b=2", kSessionCookie) == "tok");
  CHECK(find_cookie("__Host-rdpw_session=\"q\"", kSessionCookie) == "q");
  CHECK(find_cookie("x__Host-rdpw_session=no; __Host-rdpw_session=yes", kSessionCookie) == "yes");
  CHECK(find_cookie("__Host-rdpw_session=first; __Host-rdpw_session=second", kSessionCookie) ==
        "first");
  CHECK_FALSE(find_cookie("a=1; b", kSessionCookie));
  CHECK_FALSE(find_cookie("", kSessionCookie));
}

TEST_CASE("the session cookie is locked down", "[web][cookies]") {
  auto c = session_cookie("tok", hours(12));
  CHECK(c.starts_with("__Host-rdpw_session=tok;"));
  for (auto attr : {"; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict", "; Max-Age=43200"})
    CHECK(c.find(attr) != std::string::npos);
  CHECK(c.find("Domain") == std::string::npos);
  auto cleared = clear_session_cookie();
  CHECK(cleared.starts_with("__Host-rdpw_session=;"));
  CHECK(cleared.find("Max-Age=0") != std::string::npos);
}

TEST_CASE("console sessions expire when idle and absolutely", "[web][sessions]") {
  FakeClock clock;
  WebSessionStore store(minutes(30), hours(12), 100, clock.fn());
  auto created = store.create({"alice", Role::auditor}, "10.0.0.1");
  CHECK(created.token.size() >= 43);
  CHECK(created.session.csrf_token.size() >= 43);
  CHECK(created.token != created.session.csrf_token);

  auto s = store.touch(created.token);
  REQUIRE(s);
  CHECK(s->user == "alice");
  CHECK(s->role == Role::auditor);
  CHECK_FALSE(store.touch("not-a-token"));

  SECTION("idle") {
    clock.now += minutes(29);
    CHECK(store.touch(created.token));  // activity restarts the idle timer
    clock.now += minutes(29);
    CHECK(store.touch(created.token));
    clock.now += minutes(30);
    CHECK_FALSE(store.touch(created.token));
    CHECK(store.size() == 0);
  }
  SECTION("absolute") {
    for (int i = 0; i < 12 * 4; ++i) {
      clock.now += minutes(15);
      if (i < 12 * 4 - 1) CHECK(store.touch(created.token));
    }
    CHECK_FALSE(store.touch(created.token));
  }
  SECTION("remove") {
    store.remove(created.token);
    CHECK_FALSE(store.touch(created.token));
  }
}

TEST_CASE("the session store is bounded", "[web][sessions]") {
  FakeClock clock;
  WebSessionStore store(minutes(30), hours(12), 3, clock.fn());
  auto first = store.create({"a", Role::admin}, "x");
  clock.now += seconds(1);
  for (int i = 0; i < 5; ++i) {
    store.create({"b", Role::admin}, "x");
    clock.now += seconds(1);
  }
  CHECK(store.size() <= 3);
  CHECK_FALSE(store.touch(first.token));  // the least recently used went first
}

TEST_CASE("throttling locks a user after repeated failures", "[web][throttle]") {
  FakeClock clock;
  LoginThrottle t({3, 10, seconds(300)}, clock.fn());
  CHECK(t.retry_after("ops1", "1.1.1.1") == seconds(0));
  t.record_failure("ops1", "1.1.1.1");
  t.record_failure("OPS1", "1.1.1.2");  // case does not buy more guesses
  CHECK(t.retry_after("ops1", "1.1.1.1") == seconds(0));
  t.record_failure("ops1", "1.1.1.3");
  CHECK(t.retry_after("ops1", "9.9.9.9") == seconds(300));
  CHECK(t.retry_after("someone-else", "1.1.1.1") == seconds(0));
  clock.now += seconds(299);
  CHECK(t.retry_after("ops1", "9.9.9.9") == seconds(1));
  clock.now += seconds(1);
  CHECK(t.retry_after("ops1", "9.9.9.9") == seconds(0));
}

TEST_CASE("throttling locks an address trying many users", "[web][throttle]") {
  FakeClock clock;
  LoginThrottle t({3, 5, seconds(60)}, clock.fn());
  for (int i = 0; i < 5; ++i)
    t.record_failure("user" + std::to_string(i), "6.6.6.6");
  CHECK(t.retry_after("fresh", "6.6.6.6") == seconds(60));
  CHECK(t.retry_after("fresh", "7.7.7.7") == seconds(0));
}

TEST_CASE("failures spread out over time do not lock", "[web][throttle]") {
  FakeClock clock;
  LoginThrottle t({3, 10, seconds(60)}, clock.fn());
  for (int i = 0; i < 10; ++i) {
    t.record_failure("ops1", "1.1.1.1");
    clock.now += seconds(31);
    if (i % 2 == 1) clock.now += seconds(60);
  }
  CHECK(t.retry_after("ops1", "1.1.1.1") == seconds(0));
}

TEST_CASE("a success clears the user's failures but not the address's", "[web][throttle]") {
  FakeClock clock;
  LoginThrottle t({3, 4, seconds(60)}, clock.fn());
  t.record_failure("ops1", "1.1.1.1");
  t.record_failure("ops1", "1.1.1.1");
  t.record_success("ops1");
  t.record_failure("ops1", "1.1.1.1");
  t.record_failure("ops1", "1.1.1.1");
  CHECK(t.retry_after("ops1", "2.2.2.2") == seconds(0));  // user count restarted at the success
  CHECK(t.retry_after("x", "1.1.1.1") == seconds(60));    // the address reached 4
}

TEST_CASE("sign-in: roles, wrong passwords, throttling, audit", "[web][signin]") {
  FakeClock clock;
  FakeBackend backend;
  backend.add_user({"alice", "Alice-Pass-1", Role::auditor});
  backend.add_user({"root", "Root-Pass-1", Role::admin});
  backend.add_user({"ops1", "Ops-Pass-1", Role::user});
  backend.add_user({"gone", "Gone-Pass-1", Role::auditor, true});
  WebSessionStore sessions(minutes(30), hours(12), 100, clock.fn());
  LoginThrottle throttle({3, 12, seconds(300)}, clock.fn());
  SignIn signin(backend, throttle, sessions);

  auto ok = signin.sign_in("alice", "Alice-Pass-1", "10.1.1.1");
  REQUIRE(ok.status == SignInStatus::ok);
  CHECK(sessions.touch(ok.session.token)->user == "alice");
  CHECK(signin.sign_in("root", "Root-Pass-1", "10.1.1.1").status == SignInStatus::ok);
  CHECK(signin.sign_in("ops1", "Ops-Pass-1", "10.1.1.1").status == SignInStatus::not_permitted);
  CHECK(signin.sign_in("alice", "wrong", "10.1.1.1").status == SignInStatus::bad_credentials);
  CHECK(signin.sign_in("nobody", "x", "10.1.1.1").status == SignInStatus::bad_credentials);
  CHECK(signin.sign_in("gone", "Gone-Pass-1", "10.1.1.1").status == SignInStatus::bad_credentials);
  CHECK(signin.sign_in("", "x", "10.1.1.1").status == SignInStatus::bad_credentials);
  CHECK(signin.sign_in("a\nb", "x", "10.1.1.1").status == SignInStatus::bad_credentials);
  CHECK(signin.sign_in("alice", "", "10.1.1.1").status == SignInStatus::bad_credentials);

  auto audit = backend.audit();
  REQUIRE(audit.size() == 6);  // malformed names and empty passwords are not worth a row
  CHECK(audit[0].action == AuditAction::login_ok);
  CHECK(audit[0].actor == "alice");
  CHECK(audit[0].client_address == "10.1.1.1");
  CHECK(audit[2].action == AuditAction::login_fail);
  CHECK(audit[2].details_json.find("role not permitted") != std::string::npos);
  for (const auto& a : audit)
    CHECK(a.details_json.find("Pass") == std::string::npos);

  SECTION("a locked user is not even checked") {
    signin.sign_in("alice", "bad1", "10.2.2.2");  // the empty password above counted too
    signin.sign_in("alice", "bad2", "10.2.2.3");  // the third failure (with two above) locked
    int checks = backend.password_checks();
    auto locked = signin.sign_in("alice", "Alice-Pass-1", "10.3.3.3");
    CHECK(locked.status == SignInStatus::throttled);
    CHECK(locked.retry_after == seconds(300));
    CHECK(backend.password_checks() == checks);
    CHECK(backend.audit().back().details_json.find("throttled") != std::string::npos);
    clock.now += seconds(301);
    CHECK(signin.sign_in("alice", "Alice-Pass-1", "10.3.3.3").status == SignInStatus::ok);
  }
  SECTION("sign-out ends the session and is audited") {
    signin.sign_out(ok.session.token, "10.1.1.1");
    CHECK_FALSE(sessions.touch(ok.session.token));
    CHECK(backend.audit().back().action == AuditAction::logout);
  }
}
