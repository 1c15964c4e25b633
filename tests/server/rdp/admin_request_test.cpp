#include <catch2/catch.hpp>

#include "supervisor/admin_socket.hpp"

using namespace rdpwarden::server;
using namespace rdpwarden::server::supervisor;

TEST_CASE("the admin socket lists and kills sessions by id or unique prefix") {
  SessionRegistry registry;
  std::vector<std::string> killed;
  for (const char* id : {"4b0c1d8e-0000", "4b0c2222-0000", "9f00aaaa-0000"}) {
    LiveSession s;
    s.id = id;
    s.user = "ops1";
    registry.add(s, [&killed, id](rdp::SessionEnd reason, const std::string&) {
      if (reason == rdp::SessionEnd::killed) killed.push_back(id);
    });
  }
  std::vector<std::string> audited;
  KillAudit audit = [&](const std::string& id, const std::string& actor) {
    audited.push_back(id + " by " + actor);
  };

  auto list = handle_admin_request({{"cmd", "list"}}, registry, "root", audit);
  CHECK(list["ok"] == true);
  CHECK(list["sessions"].size() == 3);

  CHECK(handle_admin_request({{"cmd", "kill"}, {"id", "4b0c"}}, registry, "root", audit)["ok"] ==
        false);
  auto kill = handle_admin_request({{"cmd", "kill"}, {"id", "9f00"}}, registry, "root", audit);
  CHECK(kill["ok"] == true);
  CHECK(kill["id"] == "9f00aaaa-0000");
  CHECK(killed == std::vector<std::string>{"9f00aaaa-0000"});
  CHECK(audited == std::vector<std::string>{"9f00aaaa-0000 by root"});
  CHECK(handle_admin_request({{"cmd", "kill"}, {"id", ""}}, registry, "root", audit)["ok"] ==
        false);
  CHECK(handle_admin_request({{"cmd", "reboot"}}, registry, "root", audit)["ok"] == false);
}
