// `rdpwarden demo` (what ./deploy/quickstart.sh runs): the gateway, a demo desktop and the
// auditor console from one command, with the credentials printed once.
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>

#include "gateway_process.hpp"
#include "support/free_port.hpp"
#include "support/postgres.hpp"
#include "support/rdp_client.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

TEST_CASE("rdpwarden demo: xfreerdp reaches the demo desktop through it, the console answers") {
  TempDir dir("rdpw-e2e-demo");
  const auto conninfo = PostgresServer::shared().create_database();
  const auto rdp_port = pick_free_tcp_port();
  const auto web_port = pick_free_tcp_port();
  const auto config = dir / "rdpwarden.toml";
  std::ofstream(config) << "data_dir = \"" << (dir / "data").string() << "\"\n"
                        << "[database]\nurl = \"" << conninfo << "\"\n"
                        << "[rdp]\nlisten = \"127.0.0.1:" << rdp_port << "\"\n"
                        << "[web]\nlisten = \"127.0.0.1:" << web_port << "\"\n";
  const auto out = dir / "stdout.txt";
  const auto log = dir / "log.txt";
  Process demo({"sh", "-c", "exec \"$0\" \"$@\" >" + out.string() + " 2>" + log.string(),
                rdpwarden_bin().string(), "--config", config.string(), "demo"},
               {});
  REQUIRE(wait_until(
      [&] {
        return file_text(out).find("Auditor console") != std::string::npos || !demo.running();
      },
      90s));
  const auto printed = file_text(out);
  INFO("demo output:\n" << printed << "\nlog:\n" << file_text(log));
  // The password is printed once, on a line of its own; the xfreerdp line asks for it on
  // stdin instead of carrying it in argv (and shell history).
  std::smatch admin;
  REQUIRE(std::regex_search(printed, admin,
                            std::regex(R"(Demo admin: user demo#demo, password (\S+))")));
  const std::string password = admin[1];
  std::smatch line;
  REQUIRE(std::regex_search(
      printed, line,
      std::regex(
          R"(xfreerdp /v:127\.0\.0\.1:(\d+) /u:'demo#demo' /from-stdin:force /cert:ignore)")));
  CHECK(std::stoi(line[1]) == rdp_port);
  CHECK(printed.find("/p:") == std::string::npos);
  const auto first = printed.find(password);
  CHECK(printed.find(password, first + password.size()) == std::string::npos);
  std::smatch console;
  REQUIRE(std::regex_search(
      printed, console,
      std::regex(R"(https://127\.0\.0\.1:(\d+)/  user auditor, password (\S+))")));
  CHECK(std::stoi(console[1]) == web_port);

  XfreerdpClient client({.port = rdp_port, .username = "demo#demo", .password = password});
  client.require_connected();
  CHECK(wait_until(
      [&] {
        auto r = run(
            {rdpwarden_bin().string(), "--config", config.string(), "session", "list", "--json"});
        return r.out.find("\"active\"") != std::string::npos;
      },
      30s));
  const auto health = run({"curl", "-sk", "--max-time", "10",
                           "https://127.0.0.1:" + std::to_string(web_port) + "/healthz"});
  CHECK(health.exit_code == 0);
  CHECK(!health.out.empty());
  // The passwords went to the terminal only.
  CHECK(file_text(log).find(password) == std::string::npos);
  CHECK(file_text(log).find(std::string(console[2])) == std::string::npos);
  client.stop();
  CHECK(demo.stop(2) == 0);  // Ctrl-C
}
