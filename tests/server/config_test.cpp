#include <string>

#include <catch2/catch.hpp>

#include <rdpwarden/server/config.hpp>

using namespace rdpwarden::server;

namespace {
std::string error_of(std::string_view text) {
  try {
    parse_config(text, "rdpwarden.toml", std::nullopt);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the embedded defaults need no file") {
  auto c = parse_config("", "(defaults)", std::filesystem::path("/tmp/rw"));
  CHECK(c->data_dir == "/tmp/rw");
  CHECK(c->rdp.listen.to_string() == "127.0.0.1:3389");
  CHECK(c->web.listen.to_string() == "127.0.0.1:8443");
  CHECK(c->rdp.security == RdpSecurity::nla);
  CHECK(c->database.url.empty());
  CHECK(c->master_key_path() == "/tmp/rw/keys/master.key");
  CHECK(c->recordings_dir() == "/tmp/rw/recordings");
  CHECK(c->recording.on_failure == RecordingFailurePolicy::fail_closed);
}

TEST_CASE("values in the file override the defaults") {
  auto c = parse_config(R"(
data_dir = "/srv/rw"
[rdp]
listen = "[::1]:13389"
security = "tls"
[recording]
max_fps = 5
keystrokes = false
[session]
warn_before_minutes = [15, 5, 1]
)",
                        "rdpwarden.toml", std::nullopt);
  CHECK(c->data_dir == "/srv/rw");
  CHECK(c->rdp.listen.host == "::1");
  CHECK(c->rdp.listen.port == 13389);
  CHECK(c->rdp.security == RdpSecurity::tls);
  CHECK(c->recording.max_fps == 5);
  CHECK_FALSE(c->recording.keystrokes);
  CHECK(c->session.warn_before_minutes == std::vector<int>{15, 5, 1});
}

TEST_CASE("--data-dir wins over the file") {
  auto c = parse_config("data_dir = \"/a\"", "f", std::filesystem::path("/b"));
  CHECK(c->data_dir == "/b");
}

TEST_CASE("errors name the file, the line, the key and the problem") {
  CHECK(error_of("[rdp]\nlisten = \"nope\"\n") ==
        "rdpwarden.toml:2: key rdp.listen: expected \"host:port\", got \"nope\"");
  CHECK(error_of("[rdp]\nlistne = \"x\"\n") == "rdpwarden.toml: unknown key rdp.listne");
  CHECK(error_of("[rpd]\nlisten = \"x\"\n") == "rdpwarden.toml: unknown section [rpd]");
  CHECK(error_of("[recording]\nmax_fps = 0\n") ==
        "rdpwarden.toml:2: key recording.max_fps: must be between 1 and 60");
  CHECK(error_of("[recording]\nmax_fps = \"ten\"\n") ==
        "rdpwarden.toml:2: key recording.max_fps: expected an integer");
  CHECK(error_of("[rdp]\nsecurity = \"rdp\"\n") ==
        "rdpwarden.toml:2: key rdp.security: expected one of nla, tls, got \"rdp\"");
  CHECK(error_of("[tls]\ncertificate = \"/x.pem\"\n").find("tls.private_key") != std::string::npos);
}

TEST_CASE("malformed TOML is reported with its line") {
  auto e = error_of("[rdp]\nlisten = \n");
  CHECK(e.rfind("rdpwarden.toml:2: ", 0) == 0);
}

TEST_CASE("the rendered config parses back to the same values") {
  auto a = parse_config("[web]\nlisten = \"0.0.0.0:9443\"\n", "f", std::filesystem::path("/x"));
  auto text = render_config(*a);
  auto b = parse_config(text, "rendered", std::nullopt);
  CHECK(render_config(*b) == text);
  CHECK(b->web.listen.to_string() == "0.0.0.0:9443");
}

TEST_CASE("endpoints") {
  CHECK(parse_endpoint("127.0.0.1:3389"));
  CHECK(parse_endpoint("[::]:443")->host == "::");
  CHECK_FALSE(parse_endpoint("127.0.0.1"));
  CHECK_FALSE(parse_endpoint("127.0.0.1:99999"));
  CHECK_FALSE(parse_endpoint(":80"));
  CHECK_FALSE(parse_endpoint("a b:80"));
  CHECK_FALSE(parse_endpoint("::1:80"));
}
