#include "server/web/fake_live_sessions.hpp"

namespace rdpwarden::test {
namespace {

using server::app::LiveResult;

class Handle : public server::app::WatchHandle {
 public:
  Handle(std::shared_ptr<int> open, std::mutex& mutex) : open_(std::move(open)), mutex_(mutex) {
    std::lock_guard lock(mutex_);
    ++*open_;
  }
  ~Handle() override {
    std::lock_guard lock(mutex_);
    --*open_;
  }

 private:
  std::shared_ptr<int> open_;
  std::mutex& mutex_;
};

}  // namespace

void FakeLiveSessions::set_live(const std::string& id, bool live) {
  std::lock_guard lock(mutex_);
  if (live)
    live_.insert(id);
  else
    live_.erase(id);
}

void FakeLiveSessions::set_result(LiveResult result) {
  std::lock_guard lock(mutex_);
  result_ = result;
}

std::vector<server::app::LiveCommand> FakeLiveSessions::commands() const {
  std::lock_guard lock(mutex_);
  return commands_;
}

std::vector<FakeLiveSessions::Watch> FakeLiveSessions::watches() const {
  std::lock_guard lock(mutex_);
  return watches_;
}

int FakeLiveSessions::open_watches() const {
  std::lock_guard lock(mutex_);
  return *open_;
}

void FakeLiveSessions::set_suspended(const std::string& id, bool suspended) {
  std::vector<std::shared_ptr<server::app::LiveWatcher>> told;
  server::app::LiveState now;
  {
    std::lock_guard lock(mutex_);
    suspended_[id] = suspended;
    now = {suspended, *open_};
    for (const auto& w : watches_)
      if (w.session_id == id) told.push_back(w.watcher);
  }
  for (const auto& w : told)
    w->on_state(now);
}

std::optional<server::app::LiveState> FakeLiveSessions::state(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  if (live_.find(session_id) == live_.end()) return std::nullopt;
  auto it = suspended_.find(session_id);
  return server::app::LiveState{it != suspended_.end() && it->second, *open_};
}

bool FakeLiveSessions::is_live(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  return live_.find(session_id) != live_.end();
}

LiveResult FakeLiveSessions::control(const server::app::LiveCommand& command) {
  std::lock_guard lock(mutex_);
  if (live_.find(command.session_id) == live_.end()) return LiveResult::not_live;
  commands_.push_back(command);
  if (result_ != LiveResult::ok) return result_;
  if (command.action == server::app::LiveAction::terminate) live_.erase(command.session_id);
  if (command.action == server::app::LiveAction::suspend) suspended_[command.session_id] = true;
  if (command.action == server::app::LiveAction::resume) suspended_[command.session_id] = false;
  return result_;
}

std::unique_ptr<server::app::WatchHandle> FakeLiveSessions::watch(
    std::string_view session_id, std::string_view actor, std::string_view actor_address,
    std::shared_ptr<server::app::LiveWatcher> watcher) {
  {
    std::lock_guard lock(mutex_);
    if (live_.find(session_id) == live_.end()) return nullptr;
    watches_.push_back({std::string(session_id), std::string(actor), std::string(actor_address),
                        std::move(watcher)});
  }
  return std::make_unique<Handle>(open_, mutex_);
}

}  // namespace rdpwarden::test
