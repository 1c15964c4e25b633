// The console's HTTPS server on a real socket: TLS identity, keep-alive, limits, hostile
// clients (huge headers, slowloris, plain HTTP, traversal in raw request lines), graceful stop.
#include <fstream>
#include <future>
#include <sys/stat.h>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "server/web/console_host.hpp"
#include "server/web/https_client.hpp"
#include "server/web/synthetic_recording.hpp"
#include "support/process.hpp"

using namespace rdpwarden;
using namespace std::chrono_literals;
using test::ConsoleHost;
using test::HttpsClient;

namespace {

constexpr const char* kId = "5e551011-0000-4000-8000-000000000001";

void add_recording(ConsoleHost& host, std::size_t big_segment_bytes = 0) {
  host.backend().add_user({"alice", "Alice-Pass-1", server::web::Role::auditor});
  server::web::SessionRow row;
  row.id = kId;
  row.user = "ops1";
  row.target = "srv01";
  row.started_at = std::chrono::system_clock::now();
  host.backend().add_session(row);
  test::SyntheticRecording rec;
  rec.id = kId;
  rec.segments = {{0, 1000}, {30000}};
  rec.duration_ms = 40000;
  auto dir = test::write_synthetic_recording(host.recordings(), rec);
  if (big_segment_bytes > 0) {  // pad segment 2 (the server serves bytes, it does not parse them)
    std::ofstream(dir / "seg-000002.m4s", std::ios::app | std::ios::binary)
        << std::string(big_segment_bytes, 'x');
  }
}

std::string sign_in(HttpsClient& c) {
  auto r = c.request("POST", "/api/v1/login", {{"Content-Type", "application/json"}},
                     R"({"user":"alice","password":"Alice-Pass-1"})");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto cookie = r->header("set-cookie");
  return cookie.substr(0, cookie.find(';'));
}

}  // namespace

TEST_CASE("serves over TLS with keep-alive", "[web][server]") {
  ConsoleHost host;
  HttpsClient c(host.port());
  for (int i = 0; i < 3; ++i) {
    auto r = c.request("GET", "/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "ok\n");
    CHECK(r->keep_alive);
  }
  auto page = c.request("GET", "/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("<script type=\"module\" src=\"/js/app.js\">") != std::string::npos);
  CHECK(page->header("content-security-policy").find("frame-ancestors 'none'") !=
        std::string::npos);
  CHECK(page->header("strict-transport-security").empty());  // self-signed: no HSTS

  auto m = c.request("GET", "/metrics");
  REQUIRE(m);
  CHECK(m->body.find("rdpwarden_http_requests_total{code=\"200\"}") != std::string::npos);
}

TEST_CASE("generates a self-signed certificate once, key private", "[web][server][tls]") {
  std::string first_der;
  std::filesystem::path key;
  ConsoleHost host;
  key = host.config().tls_dir() / "key.pem";
  struct stat st {};
  REQUIRE(::stat(key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  HttpsClient c(host.port());
  auto der = c.peer_certificate_der();
  REQUIRE_FALSE(der.empty());
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  REQUIRE(cert);
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  REQUIRE(names);
  bool loopback = false;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    auto* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_IPADD && n->d.iPAddress->length == 4 && n->d.iPAddress->data[0] == 127)
      loopback = true;
  }
  GENERAL_NAMES_free(names);
  X509_free(cert);
  CHECK(loopback);
}

TEST_CASE("uses the configured certificate", "[web][server][tls]") {
  test::TempDir dir;
  auto r = test::run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                      "-subj", "/CN=configured-test", "-keyout", (dir / "k.pem").string(), "-out",
                      (dir / "c.pem").string()});
  REQUIRE(r.exit_code == 0);
  ConsoleHost host([&](server::Config& c) {
    c.tls.certificate = dir / "c.pem";
    c.tls.private_key = dir / "k.pem";
  });
  HttpsClient c(host.port());
  auto der = c.peer_certificate_der();
  CHECK(der.find("configured-test") != std::string::npos);
  auto page = c.request("GET", "/healthz");
  REQUIRE(page);
  CHECK(page->header("strict-transport-security") == "max-age=31536000");
  CHECK_FALSE(std::filesystem::exists(host.config().tls_dir() / "key.pem"));
}

TEST_CASE("hostile requests get clean errors", "[web][server][security]") {
  ConsoleHost host([](server::Config& c) { c.web.max_body_bytes = 4096; });
  SECTION("a huge header is 431 and the connection closes") {
    HttpsClient c(host.port());
    auto r = c.request("GET", "/healthz", {{"X-Padding", std::string(40000, 'a')}});
    REQUIRE(r);
    CHECK(r->status == 431);
    CHECK_FALSE(r->keep_alive);
    CHECK(c.wait_closed(3s));
  }
  SECTION("a body over the limit is 413 before it is read") {
    HttpsClient c(host.port());
    c.send_raw(
        "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 10000000\r\n\r\n{");
    auto r = c.read_reply();
    REQUIRE(r);
    CHECK(r->status == 413);
  }
  SECTION("a malformed request line is 400") {
    HttpsClient c(host.port());
    c.send_raw("GARBAGE\x01 / HTTP/9.9\r\n\r\n");
    auto r = c.read_reply();
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  SECTION("traversal in raw request lines, every encoding") {
    HttpsClient c(host.port());
    for (auto target : {"/js/../../../../etc/passwd", "/js/%2e%2e/%2e%2e/etc/passwd",
                        "/css/..%2f..%2f..%2fetc%2fpasswd", "/js/%252e%252e/x", "/js/..%5c..%5cx",
                        "//etc/passwd", "/js/a%00b"}) {
      INFO(target);
      auto r = c.request("GET", target);
      REQUIRE(r);
      CHECK((r->status == 400 || r->status == 404));
      CHECK(r->body.find("root:") == std::string::npos);
    }
  }
  SECTION("plain HTTP on the TLS port is dropped, the server keeps serving") {
    HttpsClient plain(host.port(), false);
    plain.send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(plain.wait_closed(5s));
    HttpsClient c(host.port());
    auto r = c.request("GET", "/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("slow clients are cut off by the deadlines", "[web][server][security]") {
  ConsoleHost host([](server::Config& c) { c.web.io_timeout_seconds = 1; });
  SECTION("slowloris: trickling a request does not hold the connection") {
    HttpsClient c(host.port());
    auto start = std::chrono::steady_clock::now();
    c.send_raw("GET /healthz HTTP/1.1\r\n");
    bool closed = false;
    for (int i = 0; i < 20 && !closed; ++i) {
      std::this_thread::sleep_for(200ms);
      closed = !c.send_raw("X-A: b\r\n", 1s);
    }
    if (!closed) closed = c.wait_closed(2s);
    CHECK(closed);
    CHECK(std::chrono::steady_clock::now() - start < 3500ms);
  }
  SECTION("an idle keep-alive connection is closed") {
    HttpsClient c(host.port());
    REQUIRE(c.request("GET", "/healthz"));
    CHECK(c.wait_closed(3s));
  }
  SECTION("a TLS handshake that never starts is dropped") {
    HttpsClient plain(host.port(), false);
    CHECK(plain.wait_closed(3s));
  }
}

TEST_CASE("media over the wire: 401 without a cookie, ranges with one", "[web][server][media]") {
  ConsoleHost host;
  add_recording(host);
  HttpsClient c(host.port());
  auto url = std::string("/api/v1/sessions/") + kId + "/media/seg-000001.m4s";
  auto anon = c.request("GET", url);
  REQUIRE(anon);
  CHECK(anon->status == 401);
  auto cookie = sign_in(c);
  auto part = c.request("GET", url, {{"Cookie", cookie}, {"Range", "bytes=4-11"}});
  REQUIRE(part);
  CHECK(part->status == 206);
  CHECK(part->body == "stypmsdh");
  CHECK(part->header("content-type") == "video/iso.segment");
  auto head = c.request("HEAD", url, {{"Cookie", cookie}});
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(std::stoul(head->header("content-length")) > 0);
  auto after = c.request("GET", "/healthz");  // the HEAD left the connection in step
  REQUIRE(after);
  CHECK(after->body == "ok\n");
}

TEST_CASE("graceful stop: idle connections close, a download in flight finishes", "[web][server]") {
  auto host = std::make_unique<ConsoleHost>();
  add_recording(*host, 24 << 20);
  HttpsClient idle(host->port());
  REQUIRE(idle.request("GET", "/healthz"));
  HttpsClient dl(host->port());
  auto cookie = sign_in(dl);
  auto url = std::string("/api/v1/sessions/") + kId + "/download.mp4";
  dl.send_raw("GET " + url + " HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + "\r\n\r\n");
  auto first = dl.read_some(1024, 5s);
  REQUIRE(first);
  CHECK(first->starts_with("HTTP/1.1 200"));

  auto stopping = std::async(std::launch::async, [&] {
    auto t0 = std::chrono::steady_clock::now();
    host->server().stop(20s);
    return std::chrono::steady_clock::now() - t0;
  });
  CHECK(idle.wait_closed(3s));  // closed at once, not after the grace period
  std::size_t got = first->size();
  while (auto chunk = dl.read_some(1 << 16, 10s))
    got += chunk->size();
  CHECK(got > (24u << 20));  // the whole download arrived before the connection closed
  CHECK(stopping.get() < 15s);
}

TEST_CASE("a busy port is a one-line start-up error naming web.listen", "[web][server]") {
  ConsoleHost first;
  auto port = first.port();
  try {
    ConsoleHost second([&](server::Config& c) { c.web.listen.port = port; });
    FAIL("the second server started on a busy port");
  } catch (const std::runtime_error& e) {
    std::string message = e.what();
    CHECK(message == fmt::format("web.listen 127.0.0.1:{}: Address already in use", port));
  }
}
