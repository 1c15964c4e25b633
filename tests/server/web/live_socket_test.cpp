// The live view's WebSocket on a real socket (TLS, Beast client): admission (cookie, origin),
// the documented message layout, the end notice and close, a reader that stops reading is
// moved to the next keyframe instead of being buffered without bound, and graceful stop.
// LiveSessions is the unit-test double, fed by hand.
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/web/console_host.hpp"
#include "server/web/fake_live_sessions.hpp"
#include "server/web/https_client.hpp"

using namespace rdpwarden;
using namespace std::chrono_literals;
namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using nlohmann::json;

namespace {

constexpr const char* kId = "11ve0000-0000-4000-8000-000000000001";

struct Watcher {
  net::io_context ioc;
  net::ssl::context tls{net::ssl::context::tls_client};
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws{ioc, tls};
  websocket::response_type response;

  // Returns the handshake's error (the response holds the status on refusal).
  beast::error_code connect(std::uint16_t port, const std::string& cookie,
                            const std::string& origin) {
    tls.set_verify_mode(net::ssl::verify_none);
    auto& tcp = beast::get_lowest_layer(ws);
    tcp.expires_after(10s);
    tcp.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws.next_layer().handshake(net::ssl::stream_base::client);
    tcp.expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws.set_option(websocket::stream_base::decorator([=](websocket::request_type& req) {
      if (!cookie.empty()) req.set(beast::http::field::cookie, cookie);
      if (!origin.empty()) req.set(beast::http::field::origin, origin);
    }));
    beast::error_code ec;
    ws.handshake(response, fmt::format("127.0.0.1:{}", port),
                 fmt::format("/api/v1/sessions/{}/live", kId), ec);
    return ec;
  }

  // One message, or nullopt on close/error/timeout.
  std::optional<std::pair<bool, std::string>> read(std::chrono::milliseconds timeout = 10s) {
    beast::flat_buffer buffer;
    std::optional<std::pair<bool, std::string>> out;
    ws.async_read(buffer, [&](beast::error_code ec, std::size_t) {
      if (!ec) out.emplace(ws.got_binary(), beast::buffers_to_string(buffer.data()));
    });
    ioc.restart();
    ioc.run_for(timeout);
    if (!ioc.stopped()) {
      beast::get_lowest_layer(ws).cancel();
      ioc.restart();
      ioc.run();
    }
    return out;
  }
};

std::string sign_in(test::ConsoleHost& host) {
  test::HttpsClient client(host.port());
  auto r = client.request("POST", "/api/v1/login", {{"Content-Type", "application/json"}},
                          R"({"user":"alice","password":"Alice-Pass-1"})");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto c = r->header("set-cookie");
  return c.substr(0, c.find(';'));
}

std::vector<std::byte> bytes(std::size_t n, std::uint8_t fill) {
  return std::vector<std::byte>(n, std::byte{fill});
}

std::int64_t be64(const std::string& s, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v = (v << 8) | static_cast<std::uint8_t>(s[at + i]);
  return static_cast<std::int64_t>(v);
}

template <typename F>
bool eventually(F f, std::chrono::milliseconds within = 10s) {
  auto end = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return f();
}

struct LiveHost {
  LiveHost() : host({}, nullptr, &live) {
    host.backend().add_user({"alice", "Alice-Pass-1", server::web::Role::auditor});
    server::web::SessionRow row;
    row.id = kId;
    row.user = "ops1";
    row.target = "srv01";
    row.state = server::web::SessionState::live;
    row.started_at = std::chrono::system_clock::now();
    host.backend().add_session(row);
    live.set_live(kId, true);
  }
  std::string origin() const { return fmt::format("https://127.0.0.1:{}", host.port()); }
  test::FakeLiveSessions live;
  test::ConsoleHost host;
};

}  // namespace

TEST_CASE("live view: admission, messages, end", "[web][server][live]") {
  LiveHost h;
  auto cookie = sign_in(h.host);

  SECTION("refused without a cookie, from another origin, for an ended session") {
    // The refusal's status, read as plain HTTP (the WebSocket client only says "declined").
    auto status = [&](const std::string& with_cookie, const std::string& origin) {
      test::HttpsClient client(h.host.port());
      std::vector<std::pair<std::string, std::string>> headers{
          {"Connection", "Upgrade"},
          {"Upgrade", "websocket"},
          {"Sec-WebSocket-Version", "13"},
          {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
      if (!with_cookie.empty()) headers.emplace_back("Cookie", with_cookie);
      if (!origin.empty()) headers.emplace_back("Origin", origin);
      auto r = client.request("GET", fmt::format("/api/v1/sessions/{}/live", kId), headers);
      return r ? r->status : 0;
    };
    Watcher a;
    CHECK(a.connect(h.host.port(), "", h.origin()));  // declined
    CHECK(status("", h.origin()) == 401);
    CHECK(status(cookie, "https://evil.test") == 403);
    CHECK(status(cookie, "") == 403);
    h.live.set_live(kId, false);
    CHECK(status(cookie, "https://127.0.0.1") == 409);  // the client sends Host: 127.0.0.1
    CHECK(h.live.watches().empty());
  }

  SECTION("init, fragments, end, close; the watch is dropped") {
    Watcher w;
    REQUIRE_FALSE(w.connect(h.host.port(), cookie, h.origin()));
    REQUIRE(eventually([&] { return h.live.watches().size() == 1; }));
    auto watch = h.live.watches()[0];
    CHECK(watch.actor == "alice");
    CHECK(watch.actor_address == "127.0.0.1");
    CHECK(h.live.open_watches() == 1);
    auto init = bytes(700, 0x11);
    watch.watcher->on_init(init, "avc1.64001f", 1280, 720);
    auto frag = bytes(3000, 0x22);
    watch.watcher->on_fragment(frag, 123456789, true);
    watch.watcher->on_fragment(bytes(40, 0x33), 123456889, false);

    auto m = w.read();
    REQUIRE(m);
    CHECK(m->first);  // binary
    const auto& i = m->second;
    REQUIRE(i.size() == 6 + 11 + 700);
    CHECK(i[0] == 1);
    CHECK((static_cast<std::uint8_t>(i[1]) << 8 | static_cast<std::uint8_t>(i[2])) == 1280);
    CHECK((static_cast<std::uint8_t>(i[3]) << 8 | static_cast<std::uint8_t>(i[4])) == 720);
    CHECK(i[5] == 11);
    CHECK(i.substr(6, 11) == "avc1.64001f");
    CHECK(i.substr(17) == std::string(700, '\x11'));
    m = w.read();
    REQUIRE(m);
    CHECK(m->second.size() == 10 + 3000);
    CHECK(m->second[0] == 2);
    CHECK(m->second[1] == 1);
    CHECK(be64(m->second, 2) == 123456789);
    m = w.read();
    REQUIRE(m);
    CHECK(m->second[1] == 0);
    CHECK(be64(m->second, 2) == 123456889);

    watch.watcher->on_end("terminated by root");
    m = w.read();
    REQUIRE(m);
    CHECK_FALSE(m->first);  // text
    auto end = json::parse(m->second);
    CHECK(end["type"] == "end");
    CHECK(end["reason"] == "terminated by root");
    CHECK_FALSE(w.read());  // then the server closes
    CHECK(w.ws.reason().code == websocket::close_code::normal);
    CHECK(eventually([&] { return h.live.open_watches() == 0; }));
  }

  SECTION("control state changes, whoever made them, arrive as text between the frames") {
    Watcher w;
    REQUIRE_FALSE(w.connect(h.host.port(), cookie, h.origin()));
    REQUIRE(eventually([&] { return h.live.watches().size() == 1; }));
    auto watch = h.live.watches()[0];
    watch.watcher->on_init(bytes(100, 0x11), "avc1.64001f", 640, 360);
    h.live.set_suspended(kId, true);  // as the CLI would
    watch.watcher->on_fragment(bytes(50, 0x22), 1000, true);
    auto m = w.read();
    REQUIRE(m);
    CHECK(m->first);
    m = w.read();
    REQUIRE(m);
    CHECK_FALSE(m->first);
    CHECK(json::parse(m->second) == json{{"type", "state"}, {"suspended", true}, {"watchers", 1}});
    m = w.read();
    REQUIRE(m);
    CHECK(m->first);
    CHECK(m->second[0] == 2);
    h.live.set_suspended(kId, false);
    m = w.read();
    REQUIRE(m);
    CHECK(json::parse(m->second)["suspended"] == false);
  }

  SECTION("the browser closing drops the watch") {
    Watcher w;
    REQUIRE_FALSE(w.connect(h.host.port(), cookie, h.origin()));
    REQUIRE(eventually([&] { return h.live.open_watches() == 1; }));
    w.ws.close(websocket::close_code::normal);
    CHECK(eventually([&] { return h.live.open_watches() == 0; }));
  }
}

TEST_CASE("live view: a watcher that stops reading skips to the next keyframe",
          "[web][server][live]") {
  LiveHost h;
  auto cookie = sign_in(h.host);
  Watcher w;
  REQUIRE_FALSE(w.connect(h.host.port(), cookie, h.origin()));
  REQUIRE(eventually([&] { return h.live.watches().size() == 1; }));
  auto watcher = h.live.watches()[0].watcher;
  watcher->on_init(bytes(100, 1), "avc1.64001f", 640, 360);
  // 64 MiB of frames while the browser reads nothing: far more than socket buffers and the
  // watcher's queue hold. Then a keyframe.
  auto big = bytes(256 * 1024, 7);
  std::int64_t pts = 0;
  watcher->on_fragment(big, pts, true);
  for (int i = 0; i < 255; ++i)
    watcher->on_fragment(big, ++pts, false);
  auto key_pts = ++pts;
  watcher->on_fragment(big, key_pts, true);
  watcher->on_fragment(big, ++pts, false);
  watcher->on_end("done");

  std::vector<std::pair<std::int64_t, bool>> got;  // pts, keyframe
  for (;;) {
    auto m = w.read();
    if (!m || !m->first) break;
    if (m->second[0] == 2) got.emplace_back(be64(m->second, 2), m->second[1] == 1);
  }
  REQUIRE(got.size() >= 3);
  CHECK(got.size() < 200);  // dropped, not buffered without bound
  // Whatever was dropped, the stream resumes at a keyframe: after every gap comes a keyframe.
  for (std::size_t i = 1; i < got.size(); ++i) {
    INFO("at " << got[i].first);
    if (got[i].first != got[i - 1].first + 1) CHECK(got[i].second);
  }
  CHECK(got.back().first == pts);  // the newest frame arrives
  CHECK(std::any_of(got.begin(), got.end(), [&](auto& g) { return g.first == key_pts; }));
  CHECK(h.host.metrics().render().find("rdpwarden_live_dropped_fragments_total") !=
        std::string::npos);
}

TEST_CASE("live view: graceful stop closes open views", "[web][server][live]") {
  LiveHost h;
  auto cookie = sign_in(h.host);
  Watcher w;
  REQUIRE_FALSE(w.connect(h.host.port(), cookie, h.origin()));
  REQUIRE(eventually([&] { return h.live.open_watches() == 1; }));
  auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] { h.host.server().stop(5s); });
  CHECK_FALSE(w.read(10s));
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(w.ws.reason().code == websocket::close_code::going_away);
  CHECK(h.live.open_watches() == 0);
}
