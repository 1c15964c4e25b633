#pragma once
// Signed-in console sessions, in the supervisor's memory (a restart signs everyone out, which
// is the safe direction). A session is found by its cookie token; only the token's SHA-256 is
// kept, so a memory dump does not hand out live cookies. Each session has an idle and an
// absolute expiry and its own CSRF token (synchronizer pattern: the page reads it from
// /api/v1/me and sends it in X-CSRF-Token).
//
// Threading: all methods are thread-safe (one mutex; every operation is O(log n)).

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "web/backend.hpp"

namespace rdpwarden::server::web {

struct WebSession {
  std::string user;
  Role role = Role::user;
  std::string csrf_token;
  std::string client_address;
  std::chrono::steady_clock::time_point created;
  std::chrono::steady_clock::time_point last_seen;
  std::chrono::steady_clock::time_point absolute_expiry;
};

class WebSessionStore {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  WebSessionStore(std::chrono::seconds idle_timeout, std::chrono::seconds absolute_timeout,
                  std::size_t max_sessions = 10000, Clock clock = &std::chrono::steady_clock::now);

  struct Created {
    std::string token;  // goes into the cookie, nowhere else
    WebSession session;
  };
  Created create(const Principal& who, std::string_view client_address);

  // The session for `token`, with its idle timer restarted; nullopt when unknown or expired
  // (an expired session is removed).
  std::optional<WebSession> touch(std::string_view token);
  void remove(std::string_view token);
  std::size_t size() const;
  std::chrono::seconds absolute_timeout() const { return absolute_; }

 private:
  bool expired(const WebSession& s, std::chrono::steady_clock::time_point now) const;
  void evict_locked(std::chrono::steady_clock::time_point now);

  std::chrono::seconds idle_;
  std::chrono::seconds absolute_;
  std::size_t max_sessions_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, WebSession, std::less<>> sessions_;  // key: sha256(token)
};

}  // namespace rdpwarden::server::web
