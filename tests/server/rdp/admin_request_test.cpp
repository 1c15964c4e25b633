#include <catch2/catch.hpp>

#include "supervisor/admin_socket.hpp"

using namespace rdpwarden::server;
using namespace rdpwarden::server::supervisor;

namespace {

struct FakeHandle final : SessionHandle {
  std::string id;
  std::vector<std::string>& log;
  FakeHandle(std::string i, std::vector<std::string>& l) : id(std::move(i)), log(l) {}
  void kill(rdp::SessionEnd reason, const std::string&) override {
    if (reason == rdp::SessionEnd::killed) log.push_back("kill " + id);
  }
  void control(SessionControl action, const std::string& actor, const std::string& text,
               int) override {
    log.push_back("control " + std::to_string(static_cast<int>(action)) + " " + actor + " " + text);
  }
  int watch(const std::string&, LiveCallback) override { return 1; }
  void unwatch(int) override {}
};

}  // namespace

TEST_CASE("the admin socket lists and kills sessions by id or unique prefix") {
  SessionRegistry registry;
  std::vector<std::string> log;
  std::vector<std::shared_ptr<FakeHandle>> handles;
  for (const char* id : {"4b0c1d8e-0000", "4b0c2222-0000", "9f00aaaa-0000"}) {
    LiveSession s;
    s.id = id;
    s.user = "ops1";
    s.authorized = true;
    handles.push_back(std::make_shared<FakeHandle>(id, log));
    registry.add(s, handles.back());
  }
  std::vector<std::string>& killed = log;
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
  CHECK(killed == std::vector<std::string>{"kill 9f00aaaa-0000"});
  CHECK(audited == std::vector<std::string>{"9f00aaaa-0000 by root"});
  CHECK(handle_admin_request({{"cmd", "kill"}, {"id", ""}}, registry, "root", audit)["ok"] ==
        false);
  CHECK(handle_admin_request({{"cmd", "reboot"}}, registry, "root", audit)["ok"] == false);
}

TEST_CASE("the registry passes auditor controls to admitted sessions only") {
  SessionRegistry registry;
  std::vector<std::string> log;
  auto admitted = std::make_shared<FakeHandle>("a", log);
  auto pending = std::make_shared<FakeHandle>("b", log);
  LiveSession a;
  a.id = "a";
  a.authorized = true;
  LiveSession b;
  b.id = "b";
  registry.add(a, admitted);
  registry.add(b, pending);
  CHECK(registry.control("a", SessionControl::suspend, "auditor1"));
  CHECK(registry.find("a")->suspended);
  CHECK(registry.control("a", SessionControl::message, "auditor1", "please stop"));
  CHECK_FALSE(registry.control("b", SessionControl::suspend, "auditor1"));  // still connecting
  CHECK_FALSE(registry.control("zzz", SessionControl::resume, "auditor1"));
  CHECK(log == std::vector<std::string>{"control 0 auditor1 ", "control 2 auditor1 please stop"});
  auto watch = registry.watch("a", "auditor1", [](const LiveChunk&) {});
  CHECK(watch);
  CHECK(registry.find("a")->watchers == 1);
  registry.unwatch("a", *watch);
  CHECK(registry.find("a")->watchers == 0);
  admitted.reset();  // the worker's link is gone: the entry stays until the process is reaped
  CHECK(registry.kill("a", rdp::SessionEnd::killed, ""));
  CHECK_FALSE(registry.control("a", SessionControl::resume, "auditor1"));
}
