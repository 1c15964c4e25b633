#pragma once
// A test double of app::LiveSessions for pure unit tests of the console's live routes (routing,
// roles, CSRF, what reaches control()): a set of live session ids, the commands received, and
// watchers that the test feeds by hand. Suspend and resume commands change the session's
// control state; set_suspended changes it as another actor (the CLI) would and tells the
// session's watchers (on_state). Thread-safe.

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "app/live_sessions.hpp"

namespace rdpwarden::test {

class FakeLiveSessions : public server::app::LiveSessions {
 public:
  struct Watch {
    std::string session_id;
    std::string actor;
    std::string actor_address;
    std::shared_ptr<server::app::LiveWatcher> watcher;
  };

  void set_live(const std::string& id, bool live);
  // What control() answers for live sessions (ok unless a test says otherwise).
  void set_result(server::app::LiveResult result);
  std::vector<server::app::LiveCommand> commands() const;
  std::vector<Watch> watches() const;
  int open_watches() const;
  // As if someone else (the CLI) suspended or resumed the session: every watch of it hears.
  void set_suspended(const std::string& id, bool suspended);

  bool is_live(std::string_view session_id) override;
  server::app::LiveResult control(const server::app::LiveCommand& command) override;
  std::optional<server::app::LiveState> state(std::string_view session_id) override;
  std::unique_ptr<server::app::WatchHandle> watch(
      std::string_view session_id, std::string_view actor, std::string_view actor_address,
      std::shared_ptr<server::app::LiveWatcher> watcher) override;

 private:
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> live_;
  server::app::LiveResult result_ = server::app::LiveResult::ok;
  std::vector<server::app::LiveCommand> commands_;
  std::vector<Watch> watches_;
  std::map<std::string, bool, std::less<>> suspended_;
  std::shared_ptr<int> open_ = std::make_shared<int>(0);
};

}  // namespace rdpwarden::test
