// Hostile or broken peers on either side end only their own session, with a reason; the
// supervisor stays up and serves the next admin.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <signal.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "gateway_process.hpp"
#include "support/free_port.hpp"
#include "support/rdp_client.hpp"
#include "support/shadow_target.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

// A raw TCP connection to the gateway, for what no real client would send.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  }
  ~RawConnection() { ::close(fd_); }
  void send(const std::string& bytes) { (void)!::write(fd_, bytes.data(), bytes.size()); }
  // Waits until the gateway closes the connection; how long that took, or nullopt.
  std::optional<std::chrono::milliseconds> wait_closed(std::chrono::milliseconds timeout) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < timeout) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char buffer[4096];
        const auto n = ::read(fd_, buffer, sizeof(buffer));
        if (n <= 0)
          return std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - start);
      }
    }
    return std::nullopt;
  }

 private:
  int fd_;
};

// An X.224 Connection Request asking for TLS and NLA (TPKT + X.224 + RDP_NEG_REQ).
std::string connection_request() {
  return std::string("\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00",
                     19);
}

void check_still_serving(GatewayProcess& gateway, ShadowTarget& target) {
  XfreerdpClient client(
      {.port = gateway.port(), .username = "ops1#srv01", .password = "Gw-pass-1"});
  client.require_connected();
  CHECK(wait_until([&] { return gateway.db().sessions().live().size() == 1; }, 20s));
  CHECK(wait_until([&] { return target.connections_seen() >= 1; }, 20s));
}

}  // namespace

TEST_CASE("a client that stalls mid-handshake is dropped after the handshake timeout") {
  ShadowTarget target;
  GatewayProcess gateway({.handshake_timeout_seconds = 2});
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.start();

  RawConnection silent(gateway.port());
  RawConnection half(gateway.port());
  half.send(connection_request().substr(0, 7));
  RawConnection after_nego(gateway.port());
  after_nego.send(connection_request());  // then never starts TLS
  for (auto* c : {&silent, &half, &after_nego}) {
    const auto closed = c->wait_closed(8s);
    REQUIRE(closed);
    CHECK(*closed < 5s);
  }
  INFO("gateway log:\n" << gateway.log());
  CHECK(gateway.log().find("did not finish connecting") != std::string::npos);
  CHECK(wait_until([&] { return gateway.sessions().empty(); }, 5s));
  check_still_serving(gateway, target);
}

TEST_CASE("garbage and truncated connection sequences end only that connection") {
  ShadowTarget target;
  GatewayProcess gateway;
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  gateway.start();

  std::mt19937 random(42);
  std::string noise(4096, '\0');
  for (auto& c : noise)
    c = static_cast<char>(random());
  RawConnection garbage(gateway.port());
  garbage.send(noise);
  CHECK(garbage.wait_closed(5s));

  RawConnection bad_tls(gateway.port());
  bad_tls.send(connection_request());
  bad_tls.send(std::string("\x16\x03\x01\xff\xff", 5) + noise);  // a TLS record that lies
  CHECK(bad_tls.wait_closed(5s));

  RawConnection huge_tpkt(gateway.port());
  huge_tpkt.send(std::string("\x03\x00\xff\xff", 4) + noise);
  CHECK(huge_tpkt.wait_closed(5s));

  // A username of a thousand characters is refused like any wrong login.
  XfreerdpClient long_name({.port = gateway.port(),
                            .username = std::string(1000, 'a') + "#srv01",
                            .password = "Gw-pass-1"});
  CHECK(long_name.wait_for_exit(30s));

  CHECK(gateway.running());
  CHECK(target.connections_seen() == 0);
  check_still_serving(gateway, target);
}

TEST_CASE("a target that refuses or vanishes ends the session with a reason") {
  ShadowTarget target;
  GatewayProcess gateway;
  gateway.add_simple_setup("ops1", "Gw-pass-1", target.port(), "administrator", "Vault-Secret-9");
  // srv02 points at a port where nothing listens.
  gateway.db().targets().add({"srv02", "127.0.0.1", pick_free_tcp_port(), ""});
  gateway.db().accounts().add({"srv02", "administrator", ""}, "Vault-Secret-9");
  storage::NewGrant grant;
  grant.key.user = "ops1";
  grant.key.target = "srv02";
  gateway.db().grants().add(grant);
  gateway.start();

  XfreerdpClient refused(
      {.port = gateway.port(), .username = "ops1#srv02", .password = "Gw-pass-1"});
  REQUIRE(refused.wait_for_exit(30s));
  INFO("client log:\n" << refused.log() << "\ngateway log:\n" << gateway.log());
  CHECK(refused.log().find("ERRINFO_CB_DESTINATION_NOT_FOUND") != std::string::npos);
  CHECK(wait_until([&] { return gateway.db().sessions().live().empty(); }, 10s));
  auto rows = gateway.db().sessions().list({});
  REQUIRE(rows.sessions.size() == 1);
  CHECK(rows.sessions[0].state == storage::SessionState::failed);
  CHECK(rows.sessions[0].end_reason.rfind("target-unreachable", 0) == 0);

  XfreerdpClient orphan(
      {.port = gateway.port(), .username = "ops1#srv01", .password = "Gw-pass-1"});
  orphan.require_connected();
  REQUIRE(wait_until([&] { return target.connections_seen() == 1; }, 20s));
  std::this_thread::sleep_for(1s);
  ::kill(target.server_pid(), SIGKILL);
  REQUIRE(orphan.wait_for_exit(15s));
  CHECK(orphan.log().find("ERRINFO_CB_CONNECTION_CANCELLED") != std::string::npos);
  CHECK(wait_until([&] { return gateway.db().sessions().live().empty(); }, 10s));
  bool lost = false;
  for (const auto& s : gateway.db().sessions().list({}).sessions)
    lost = lost || s.end_reason.rfind("target-lost", 0) == 0;
  CHECK(lost);
  CHECK(gateway.running());
}
