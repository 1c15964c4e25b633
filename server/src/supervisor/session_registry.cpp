#include "supervisor/session_registry.hpp"

namespace rdpwarden::server::supervisor {

void SessionRegistry::add(LiveSession session, KillFn kill) {
  auto id = session.id;
  sessions_[id] = Entry{std::move(session), std::move(kill)};
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

bool SessionRegistry::kill(std::string_view id, rdp::SessionEnd reason,
                           const std::string& message) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  if (it->second.kill) it->second.kill(reason, message);
  return true;
}

void SessionRegistry::kill_all(rdp::SessionEnd reason, const std::string& message) {
  for (auto& [id, entry] : sessions_) {
    if (entry.kill) entry.kill(reason, message);
  }
}

}  // namespace rdpwarden::server::supervisor
