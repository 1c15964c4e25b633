#include "web/web_session_store.hpp"
#include <algorithm>

#include "web/crypto_util.hpp"

namespace rdpwarden::server::web {

WebSessionStore::WebSessionStore(std::chrono::seconds idle_timeout,
                                 std::chrono::seconds absolute_timeout, std::size_t max_sessions,
                                 Clock clock)
    : idle_(idle_timeout),
      absolute_(absolute_timeout),
      max_sessions_(std::max<std::size_t>(1, max_sessions)),
      clock_(std::move(clock)) {}

bool WebSessionStore::expired(const WebSession& s,
                              std::chrono::steady_clock::time_point now) const {
  return now >= s.absolute_expiry || now - s.last_seen >= idle_;
}

void WebSessionStore::evict_locked(std::chrono::steady_clock::time_point now) {
  std::erase_if(sessions_, [&](const auto& kv) { return expired(kv.second, now); });
  // Still full: the least recently used session goes, so a flood of sign-ins cannot grow the
  // store without bound.
  while (sessions_.size() >= max_sessions_) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    sessions_.erase(oldest);
  }
}

WebSessionStore::Created WebSessionStore::create(const Principal& who,
                                                 std::string_view client_address) {
  auto now = clock_();
  Created out;
  out.token = random_token(32);
  out.session.user = who.name;
  out.session.role = who.role;
  out.session.csrf_token = random_token(32);
  out.session.client_address = std::string(client_address);
  out.session.created = now;
  out.session.last_seen = now;
  out.session.absolute_expiry = now + absolute_;
  std::lock_guard lock(mutex_);
  evict_locked(now);
  sessions_[sha256_hex(out.token)] = out.session;
  return out;
}

std::optional<WebSession> WebSessionStore::touch(std::string_view token) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  auto key = sha256_hex(token);
  auto now = clock_();
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void WebSessionStore::remove(std::string_view token) {
  if (token.empty() || token.size() > 128) return;
  auto key = sha256_hex(token);
  std::lock_guard lock(mutex_);
  sessions_.erase(key);
}

std::size_t WebSessionStore::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace rdpwarden::server::web
