#pragma once
// What the web console needs from the running gateway: watch a live session and control it.
// The supervisor implements it (it knows the live workers); the web console consumes it; the
// `rdpwarden session suspend|resume|kill|message` CLI reaches the same implementation through
// the admin socket. Keeping it here (app = the glue between server parts) lets web and
// supervisor depend on an interface instead of on each other.
//
// Audit: the implementation writes the audit_log row and the session-timeline event for every
// control action and for every watch start/stop, with the actor and address it is given, so the
// console and the CLI cannot disagree about what was recorded.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rdpwarden::server::app {

enum class LiveAction { suspend, resume, terminate, message };

struct LiveCommand {
  std::string session_id;
  LiveAction action = LiveAction::message;
  std::string actor;          // the console user (or the OS user, for the CLI)
  std::string actor_address;  // the browser's address; empty for the CLI
  std::string text;           // the message (LiveAction::message), at most 500 bytes of UTF-8
};

enum class LiveResult { ok, not_live, invalid };

// What a live session's controls look like right now, whoever acted (the console, another
// auditor, the CLI): the console shows it instead of guessing from its own clicks.
struct LiveState {
  bool suspended = false;
  int watchers = 0;  // live views open: console tabs and `rdpwarden session watch`
  bool operator==(const LiveState&) const = default;
};

// One watcher's stream of the session's live video: an init segment, then CMAF fragments
// (moof+mdat), each playable through MSE after the init. The first fragment after on_init is a
// keyframe. on_init may come again (the session's screen size changed): start a new
// SourceBuffer/changeType from there. Called on the implementation's thread: must not block —
// queue and return; a watcher that falls behind should drop to the next keyframe itself.
class LiveWatcher {
 public:
  virtual ~LiveWatcher() = default;
  virtual void on_init(std::span<const std::byte> init, std::string_view codec, int width,
                       int height) = 0;
  virtual void on_fragment(std::span<const std::byte> fragment, std::int64_t pts_ms,
                           bool keyframe) = 0;
  // The session ended (or the watch was refused later): no more calls after this one.
  virtual void on_end(std::string_view reason) = 0;
  // The session's control state changed (suspend, resume, a watcher came or went; this watch's
  // own start included), on the implementation's thread like the rest. Default: not interested.
  virtual void on_state(const LiveState& /*state*/) {}
};

// Dropping the handle stops the watch (and, when it was the last watcher, the live stream).
class WatchHandle {
 public:
  virtual ~WatchHandle() = default;
};

class LiveSessions {
 public:
  virtual ~LiveSessions() = default;
  // Thread-safe; may be called from the console's worker threads.
  virtual bool is_live(std::string_view session_id) = 0;
  virtual LiveResult control(const LiveCommand& command) = 0;
  // nullopt when the session is not live.
  virtual std::optional<LiveState> state(std::string_view session_id) = 0;
  // Starts watching; nullptr when the session is not live. The watcher is kept alive by the
  // implementation until on_end or until the handle is dropped.
  virtual std::unique_ptr<WatchHandle> watch(std::string_view session_id, std::string_view actor,
                                             std::string_view actor_address,
                                             std::shared_ptr<LiveWatcher> watcher) = 0;
};

}  // namespace rdpwarden::server::app
