#include "web/router.hpp"

#include <catch2/catch.hpp>

#include "web/url.hpp"

using namespace rdpwarden::server::web;
namespace http = boost::beast::http;

TEST_CASE("routes the API with decoded parameters", "[web][router]") {
  auto m = route(http::verb::get, "/api/v1/sessions/4b0c1d8e-aa/media/seg-000001.m4s");
  CHECK(m.error == RouteError::none);
  CHECK(m.id == RouteId::session_media);
  CHECK(m.session_id == "4b0c1d8e-aa");
  CHECK(m.file == "seg-000001.m4s");

  m = route(http::verb::get, "/api/v1/sessions/abc/media/thumbs/t-00010000.jpg");
  CHECK(m.id == RouteId::session_media);
  CHECK(m.file == "thumbs/t-00010000.jpg");

  m = route(http::verb::get, "/api/v1/sessions?user=ops1&q=rm%20-rf&limit=5");
  CHECK(m.id == RouteId::sessions);
  CHECK(m.query.at("user") == "ops1");
  CHECK(m.query.at("q") == "rm -rf");
  CHECK(m.query.at("limit") == "5");

  CHECK(route(http::verb::get, "/api/v1/sessions/abc").id == RouteId::session);
  CHECK(route(http::verb::get, "/api/v1/sessions/abc/events").id == RouteId::session_events);
  CHECK(route(http::verb::get, "/api/v1/sessions/abc/activity").id == RouteId::session_activity);
  CHECK(route(http::verb::get, "/api/v1/sessions/abc/download.mp4").id ==
        RouteId::session_download);
  CHECK(route(http::verb::post, "/api/v1/login").id == RouteId::login);
  CHECK(route(http::verb::post, "/api/v1/logout").id == RouteId::logout);
  CHECK(route(http::verb::get, "/api/v1/me").id == RouteId::me);
  CHECK(route(http::verb::get, "/healthz").id == RouteId::healthz);
  CHECK(route(http::verb::get, "/metrics").id == RouteId::metrics);
}

TEST_CASE("pages of the console get the app shell, assets their file", "[web][router]") {
  for (auto target : {"/", "/login", "/sessions", "/sessions/abc-123"})
    CHECK(route(http::verb::get, target).id == RouteId::app_shell);
  auto m = route(http::verb::get, "/js/player.js");
  CHECK(m.id == RouteId::static_file);
  CHECK(m.file == "js/player.js");
  CHECK(route(http::verb::head, "/css/console.css").id == RouteId::static_file);
  CHECK(route(http::verb::get, "/favicon.svg").file == "favicon.svg");
}

TEST_CASE("HEAD goes where GET goes; wrong methods are 405 with Allow", "[web][router]") {
  CHECK(route(http::verb::head, "/api/v1/sessions").id == RouteId::sessions);
  auto m = route(http::verb::post, "/api/v1/sessions");
  CHECK(m.error == RouteError::method_not_allowed);
  CHECK(m.allow == "GET, HEAD");
  m = route(http::verb::get, "/api/v1/login");
  CHECK(m.error == RouteError::method_not_allowed);
  CHECK(m.allow == "POST");
  CHECK(route(http::verb::delete_, "/api/v1/sessions/abc").error == RouteError::method_not_allowed);
}

TEST_CASE("unknown paths are 404", "[web][router]") {
  CHECK(route(http::verb::get, "/api/v2/sessions").error == RouteError::not_found);
  CHECK(route(http::verb::get, "/api/v1/sessions/abc/nothing").error == RouteError::not_found);
  CHECK(route(http::verb::get, "/etc/passwd").error == RouteError::not_found);
  CHECK(route(http::verb::get, "/api/v1/sessions/abc/media").error == RouteError::not_found);
}

TEST_CASE("path traversal is refused in every encoding", "[web][router][security]") {
  for (auto target :
       {"/js/../../etc/passwd", "/js/%2e%2e/%2e%2e/etc/passwd", "/js/%2E%2E/x", "/js/.%2e/x",
        "/api/v1/sessions/abc/media/..%2f..%2fetc%2fpasswd",
        "/api/v1/sessions/abc/media/%2fetc%2fpasswd", "/js/a%5c..%5cb", "/js/a%00.js", "/js//x.js",
        "/js/x.js/", "/js/./x.js", "relative", "/js/%zz", "/js/%2", "*"}) {
    INFO(target);
    auto m = route(http::verb::get, target);
    CHECK(m.error == RouteError::bad_target);
  }
  // A session id that is not id-shaped never matches a route with an id.
  CHECK(route(http::verb::get, "/api/v1/sessions/a.b").error == RouteError::not_found);
  CHECK(route(http::verb::get, "/api/v1/sessions/-x").error == RouteError::not_found);
  CHECK(route(http::verb::get, "/api/v1/sessions/" + std::string(65, 'a')).error ==
        RouteError::not_found);
}

TEST_CASE("query strings are decoded strictly", "[web][router]") {
  auto q = parse_query("a=1&b=x+y&c=%41&a=2&&d");
  REQUIRE(q);
  CHECK(q->at("a") == "1");
  CHECK(q->at("b") == "x y");
  CHECK(q->at("c") == "A");
  CHECK(q->at("d").empty());
  CHECK_FALSE(parse_query("a=%4"));
  CHECK_FALSE(parse_query("a=%0a"));
  CHECK(route(http::verb::get, "/api/v1/sessions?q=%ZZ").error == RouteError::bad_target);
}

TEST_CASE("percent-encoding round-trips", "[web][router]") {
  CHECK(percent_encode("a b/ü") == "a%20b%2F%C3%BC");
  CHECK(percent_decode(percent_encode("x?&=#%"), false) == "x?&=#%");
}

TEST_CASE("state-changing methods need CSRF protection", "[web][router]") {
  CHECK(is_state_changing(http::verb::post));
  CHECK(is_state_changing(http::verb::put));
  CHECK(is_state_changing(http::verb::delete_));
  CHECK(is_state_changing(http::verb::patch));
  CHECK_FALSE(is_state_changing(http::verb::get));
  CHECK_FALSE(is_state_changing(http::verb::head));
}
