#pragma once
// The live sessions of this gateway: what `session list` shows and `session kill` acts on, and
// what the web console will query and control. Entries exist from the accepted connection until
// the worker process is gone.
//
// Threads: the supervisor's io thread only.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "rdp/session_end.hpp"

namespace rdpwarden::server::supervisor {

struct LiveSession {
  std::string id;
  pid_t pid = -1;
  std::string state = "handshake";  // handshake, authorized, connecting, active, ending
  std::string user;
  std::string target;
  std::string account;
  std::string client_address;
  std::chrono::system_clock::time_point accepted_at;
  bool authorized = false;  // a session row exists
  std::optional<rdp::SessionEnd> end_reason;
};

class SessionRegistry {
 public:
  // How the registry reaches a session's worker (set by whoever owns the link).
  using KillFn = std::function<void(rdp::SessionEnd reason, const std::string& message)>;

  void add(LiveSession session, KillFn kill);
  LiveSession* find(std::string_view id);
  // The one session whose id starts with `prefix` (at least 4 characters); nullptr when none or
  // several match.
  LiveSession* find_prefix(std::string_view prefix);
  LiveSession* find_pid(pid_t pid);
  void remove(std::string_view id);
  std::vector<LiveSession> list() const;
  std::size_t size() const { return sessions_.size(); }
  // Asks the session's worker to end it. False when there is no such session.
  bool kill(std::string_view id, rdp::SessionEnd reason, const std::string& message);
  void kill_all(rdp::SessionEnd reason, const std::string& message);

 private:
  struct Entry {
    LiveSession session;
    KillFn kill;
  };
  std::map<std::string, Entry, std::less<>> sessions_;
};

}  // namespace rdpwarden::server::supervisor
