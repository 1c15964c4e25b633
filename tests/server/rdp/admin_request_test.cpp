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
  int next_watch = 7;
  int watch(const std::string& actor, std::shared_ptr<app::LiveWatcher>) override {
    log.push_back("watch " + actor);
    return next_watch++;
  }
  void unwatch(int watch_id, const std::string& actor) override {
    log.push_back("unwatch " + std::to_string(watch_id) + " " + actor);
  }
};

struct World {
  SessionRegistry registry;
  std::vector<std::string> log;
  std::vector<std::string> audited;
  std::vector<std::shared_ptr<FakeHandle>> handles;
  LiveControl control{registry, [this](const ControlAudit& a) {
                        audited.push_back(a.session_id + " " +
                                          std::to_string(static_cast<int>(a.kind)) + " by " +
                                          a.actor + (a.from_console ? " (console)" : ""));
                      }};

  void add(const std::string& id, bool authorized) {
    LiveSession s;
    s.id = id;
    s.user = "ops1";
    s.authorized = authorized;
    handles.push_back(std::make_shared<FakeHandle>(id, log));
    registry.add(s, handles.back());
  }
};

}  // namespace

TEST_CASE("the admin socket lists and kills sessions by id or unique prefix") {
  World w;
  for (const char* id : {"4b0c1d8e-0000", "4b0c2222-0000", "9f00aaaa-0000"})
    w.add(id, true);
  auto list = handle_admin_request({{"cmd", "list"}}, w.control, "root");
  CHECK(list["ok"] == true);
  CHECK(list["sessions"].size() == 3);
  // "4b0c" is ambiguous, "9f00" is not.
  CHECK(handle_admin_request({{"cmd", "kill"}, {"id", "4b0c"}}, w.control, "root")["ok"] == false);
  auto kill = handle_admin_request({{"cmd", "kill"}, {"id", "9f00"}}, w.control, "root");
  CHECK(kill["ok"] == true);
  CHECK(kill["id"] == "9f00aaaa-0000");
  CHECK(w.log == std::vector<std::string>{"kill 9f00aaaa-0000"});
  CHECK(w.audited == std::vector<std::string>{"9f00aaaa-0000 0 by root"});
  CHECK(handle_admin_request({{"cmd", "kill"}, {"id", ""}}, w.control, "root")["ok"] == false);
  CHECK(handle_admin_request({{"cmd", "reboot"}}, w.control, "root")["ok"] == false);
}

TEST_CASE("auditor controls reach admitted sessions only, each one audited") {
  World w;
  w.add("a", true);
  w.add("b", false);  // still in its handshake
  auto suspend = handle_admin_request({{"cmd", "suspend"}, {"id", "a"}}, w.control, "root");
  CHECK(suspend["ok"] == true);
  CHECK(w.registry.find("a")->suspended);
  app::LiveCommand message{"a", app::LiveAction::message, "alice", "10.0.0.5", "please stop"};
  CHECK(w.control.apply(message, true) == app::LiveResult::ok);
  message.text = std::string(501, 'x');
  CHECK(w.control.apply(message, true) == app::LiveResult::invalid);
  message.text.clear();
  CHECK(w.control.apply(message, true) == app::LiveResult::invalid);
  CHECK(handle_admin_request({{"cmd", "suspend"}, {"id", "b"}}, w.control, "root")["ok"] == false);
  CHECK(w.control.apply({"zzz", app::LiveAction::resume, "alice", "", ""}, true) ==
        app::LiveResult::not_live);
  CHECK(w.log == std::vector<std::string>{"control 0 root ", "control 2 alice please stop"});
  CHECK(w.audited == std::vector<std::string>{"a 1 by root", "a 3 by alice (console)"});

  w.log.clear();
  w.audited.clear();
  auto watch = w.control.watch("a", {"alice", "10.0.0.5", true}, nullptr);
  REQUIRE(watch);
  CHECK(w.registry.find("a")->watchers == 1);
  CHECK_FALSE(w.control.watch("b", {"alice", "", true}, nullptr));
  w.control.unwatch("a", *watch, {"alice", "10.0.0.5", true});
  CHECK(w.registry.find("a")->watchers == 0);
  CHECK(w.log == std::vector<std::string>{"watch alice", "unwatch 7 alice"});
  CHECK(w.audited == std::vector<std::string>{"a 4 by alice (console)", "a 5 by alice (console)"});

  // A handshaking connection can be terminated (not audited: no session row yet).
  CHECK(handle_admin_request({{"cmd", "kill"}, {"id", "b"}}, w.control, "root")["ok"] == true);
  w.handles[0].reset();  // the worker's link is gone: the entry stays until the process is reaped
  CHECK_FALSE(w.control.apply({"a", app::LiveAction::resume, "alice", "", ""}, true) ==
              app::LiveResult::ok);
}

namespace {

// Notes what a live-view watcher was told about the session's control state.
struct StateWatcher final : app::LiveWatcher {
  std::vector<app::LiveState> states;
  void on_init(std::span<const std::byte>, std::string_view, int, int) override {}
  void on_fragment(std::span<const std::byte>, std::int64_t, bool) override {}
  void on_end(std::string_view) override {}
  void on_state(const app::LiveState& state) override { states.push_back(state); }
};

}  // namespace

TEST_CASE("a session's control state is queryable and reaches its watchers, whoever acts") {
  World w;
  w.add("a", true);
  w.add("b", true);
  w.add("c", false);
  CHECK(w.control.state("a") == app::LiveState{false, 0});
  CHECK_FALSE(w.control.state("c"));  // handshaking: not live
  CHECK_FALSE(w.control.state("zzz"));

  auto tab = std::make_shared<StateWatcher>();
  auto other = std::make_shared<StateWatcher>();  // watches another session
  auto watch = w.control.watch("a", {"alice", "10.0.0.5", true}, tab);
  REQUIRE(watch);
  REQUIRE(w.control.watch("b", {"bob", "10.0.0.6", true}, other));
  // The watch's own start is the first state the tab hears.
  CHECK(tab->states == std::vector<app::LiveState>{{false, 1}});

  // A suspend from the CLI (the admin socket) reaches the console's tab; so does the resume.
  CHECK(handle_admin_request({{"cmd", "suspend"}, {"id", "a"}}, w.control, "root")["ok"] == true);
  CHECK(w.control.state("a") == app::LiveState{true, 1});
  CHECK(tab->states.back() == app::LiveState{true, 1});
  // A second watcher (`session watch`) counts, and the first tab hears of it.
  auto cli = std::make_shared<StateWatcher>();
  auto cli_watch = w.control.watch("a", {"root", "", false}, cli);
  REQUIRE(cli_watch);
  CHECK(cli->states == std::vector<app::LiveState>{{true, 2}});
  CHECK(tab->states.back() == app::LiveState{true, 2});
  CHECK(handle_admin_request({{"cmd", "resume"}, {"id", "a"}}, w.control, "root")["ok"] == true);
  CHECK(tab->states.back() == app::LiveState{false, 2});
  // A message changes nothing of the state: nobody is told.
  const auto heard = tab->states.size();
  CHECK(w.control.apply({"a", app::LiveAction::message, "alice", "", "hi"}, true) ==
        app::LiveResult::ok);
  CHECK(tab->states.size() == heard);
  w.control.unwatch("a", *cli_watch, {"root", "", false});
  CHECK(tab->states.back() == app::LiveState{false, 1});
  CHECK(cli->states.size() == 2);  // gone: told nothing more
  // The other session's watcher heard only of its own watch.
  CHECK(other->states == std::vector<app::LiveState>{{false, 1}});

  // Once the session is ending, it has no state; watchers leaving then are not told of one.
  w.registry.find("a")->end_reason = rdp::SessionEnd::killed;
  CHECK_FALSE(w.control.state("a"));
  const auto before_end = tab->states.size();
  w.control.unwatch("a", *watch, {"alice", "10.0.0.5", true});
  CHECK(tab->states.size() == before_end);
}
