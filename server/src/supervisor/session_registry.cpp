#include "supervisor/session_registry.hpp"

namespace rdpwarden::server::supervisor {

void SessionRegistry::add(LiveSession session, std::weak_ptr<SessionHandle> handle) {
  auto id = session.id;
  sessions_[id] = Entry{std::move(session), std::move(handle)};
}

LiveSession* SessionRegistry::find(std::string_view id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second.session;
}

LiveSession* SessionRegistry::find_prefix(std::string_view prefix) {
  if (prefix.size() < 4) return find(prefix);
  LiveSession* found = nullptr;
  for (auto& [id, entry] : sessions_) {
    if (id.compare(0, prefix.size(), prefix) == 0) {
      if (found) return nullptr;
      found = &entry.session;
    }
  }
  return found;
}

LiveSession* SessionRegistry::find_pid(pid_t pid) {
  for (auto& [id, entry] : sessions_) {
    if (entry.session.pid == pid) return &entry.session;
  }
  return nullptr;
}

void SessionRegistry::remove(std::string_view id) {
  auto it = sessions_.find(id);
  if (it != sessions_.end()) sessions_.erase(it);
}

std::vector<LiveSession> SessionRegistry::list() const {
  std::vector<LiveSession> out;
  out.reserve(sessions_.size());
  for (const auto& [id, entry] : sessions_)
    out.push_back(entry.session);
  return out;
}

std::shared_ptr<SessionHandle> SessionRegistry::handle_of(std::string_view id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.handle.lock();
}

bool SessionRegistry::kill(std::string_view id, rdp::SessionEnd reason,
                           const std::string& message) {
  if (!sessions_.count(id)) return false;
  if (auto handle = handle_of(id)) handle->kill(reason, message);
  return true;
}

void SessionRegistry::kill_all(rdp::SessionEnd reason, const std::string& message) {
  for (auto& [id, entry] : sessions_) {
    if (auto handle = entry.handle.lock()) handle->kill(reason, message);
  }
}

bool SessionRegistry::control(std::string_view id, SessionControl action, const std::string& actor,
                              const std::string& text, int seconds) {
  auto handle = handle_of(id);
  LiveSession* live = find(id);
  if (!handle || !live || !live->authorized) return false;
  if (action == SessionControl::suspend) live->suspended = true;
  if (action == SessionControl::resume) live->suspended = false;
  handle->control(action, actor, text, seconds);
  return true;
}

std::optional<int> SessionRegistry::watch(std::string_view id, const std::string& actor,
                                          LiveCallback callback) {
  auto handle = handle_of(id);
  LiveSession* live = find(id);
  if (!handle || !live || !live->authorized) return std::nullopt;
  ++live->watchers;
  return handle->watch(actor, std::move(callback));
}

void SessionRegistry::unwatch(std::string_view id, int watch_id) {
  if (auto handle = handle_of(id)) {
    handle->unwatch(watch_id);
    if (LiveSession* live = find(id); live && live->watchers > 0) --live->watchers;
  }
}

}  // namespace rdpwarden::server::supervisor
