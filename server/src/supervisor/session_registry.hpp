#pragma once
// The live sessions of this gateway: what `session list` shows and `session kill` acts on, and
// what the web console queries and controls (kill, suspend, resume, message, watch). Entries
// exist from the accepted connection until the worker process is gone.
//
// Threads: the supervisor's io thread only (post to its io_context from elsewhere). Live-view
// callbacks run on that thread too.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
  bool suspended = false;
  int watchers = 0;
  std::optional<rdp::SessionEnd> end_reason;
};

// One piece of a session's live view: the init segment (once per watcher and after a resize),
// then one fMP4 fragment per frame.
struct LiveChunk {
  enum class Kind { init, fragment };
  Kind kind = Kind::fragment;
  std::string codec;        // init: RFC 6381, for MediaSource
  int width = 0;            // init
  int height = 0;           // init
  std::int64_t pts_ms = 0;  // fragment: session time
  bool keyframe = false;    // fragment
  std::shared_ptr<const std::string> bytes;
};
using LiveCallback = std::function<void(const LiveChunk&)>;

enum class SessionControl { suspend, resume, message };

// How the registry reaches a session's worker (the WorkerLink).
class SessionHandle {
 public:
  virtual ~SessionHandle() = default;
  virtual void kill(rdp::SessionEnd reason, const std::string& message) = 0;
  virtual void control(SessionControl action, const std::string& actor, const std::string& text,
                       int seconds) = 0;
  // Starts delivering the live view to `callback` (init first); returns an id for unwatch.
  virtual int watch(const std::string& actor, LiveCallback callback) = 0;
  virtual void unwatch(int watch_id) = 0;
};

class SessionRegistry {
 public:
  void add(LiveSession session, std::weak_ptr<SessionHandle> handle);
  LiveSession* find(std::string_view id);
  // The one session whose id starts with `prefix` (at least 4 characters); nullptr when none or
  // several match.
  LiveSession* find_prefix(std::string_view prefix);
  LiveSession* find_pid(pid_t pid);
  void remove(std::string_view id);
  std::vector<LiveSession> list() const;
  std::size_t size() const { return sessions_.size(); }

  // Each returns false when there is no such session (or it is past being controlled).
  bool kill(std::string_view id, rdp::SessionEnd reason, const std::string& message);
  void kill_all(rdp::SessionEnd reason, const std::string& message);
  bool control(std::string_view id, SessionControl action, const std::string& actor,
               const std::string& text = {}, int seconds = 10);
  std::optional<int> watch(std::string_view id, const std::string& actor, LiveCallback callback);
  void unwatch(std::string_view id, int watch_id);

 private:
  struct Entry {
    LiveSession session;
    std::weak_ptr<SessionHandle> handle;
  };
  std::shared_ptr<SessionHandle> handle_of(std::string_view id);
  std::map<std::string, Entry, std::less<>> sessions_;
};

}  // namespace rdpwarden::server::supervisor
