#pragma once
// What the front (admin side) and the back (target side) of one session share: the settings,
// the clock, the end reason, the abort and wake events, the composite framebuffer, the pointer,
// and the observers (recorder sinks, the supervisor's status channel).
//
// Threads: everything here is safe to call from any of the session's threads.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <rdpwarden/codec/session_sink.hpp>

#include "rdp/composite_frame.hpp"
#include "rdp/freerdp_handles.hpp"
#include "rdp/pointer_mailbox.hpp"
#include "rdp/session_clock.hpp"
#include "rdp/session_controls.hpp"
#include "rdp/session_end.hpp"
#include "rdp/worker_settings.hpp"

namespace rdpwarden::server::rdp {

enum class SessionState { handshake, authorized, connecting, active, ending };
std::string_view to_string(SessionState state);

struct StatusUpdate {
  SessionState state = SessionState::handshake;
  std::string user;
  std::string target;
  std::string account;
  int width = 0;
  int height = 0;
};

// Where a worker tells the supervisor how its session is doing.
class StatusReporter {
 public:
  virtual ~StatusReporter() = default;
  virtual void report(const StatusUpdate& update) = 0;
};

struct SessionSinks {
  codec::FrameSink& frames;
  codec::InputSink& input;
  codec::EventSink& events;
};

class Session {
 public:
  Session(WorkerSettings settings, SessionSinks sinks, StatusReporter& status);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const WorkerSettings& settings() const { return settings_; }
  const SessionClock& clock() const { return clock_; }
  // Once, when the admin is admitted: the recording's timeline starts at 0.
  void restart_clock() { clock_.restart(); }

  // Ends the session: the first reason wins, later ones are ignored. Sets the abort event.
  // Returns true when this call decided the reason.
  bool end(SessionEnd reason, std::string_view detail = {});
  bool ending() const { return ending_.load(); }
  std::optional<SessionEnd> end_reason() const;
  std::string end_detail() const;
  // A manual-reset event set once the session is ending; every wait includes it.
  void* abort_event() const { return abort_.get(); }
  // The event that wakes the front's thread: frames, pointers, target state changed. Manual
  // reset: the front calls woken() after its wait returns and before it looks for work, so a
  // wake() that comes later is never lost and one that came earlier is never repeated.
  void* wake_event() const { return wake_.get(); }
  void wake();
  void woken();

  CompositeFrame& frame() { return frame_; }
  PointerMailbox& pointer() { return pointer_; }
  SessionControls& controls() { return controls_; }
  SessionSinks& sinks() { return sinks_; }
  void report(const StatusUpdate& update) { status_.report(update); }

  // The target connection's progress, for the watchdog's connect timeout.
  void mark_target_connecting() { target_connecting_since_ = clock_.now().count(); }
  void mark_target_active() { target_active_ = true; }
  bool target_active() const { return target_active_.load(); }
  // How long the target has been connecting without becoming active; nullopt when not.
  std::optional<std::chrono::milliseconds> target_connecting_for() const;

  // The target's side of the story, for the end of the session.
  void set_target_error_info(std::uint32_t code) { target_error_info_ = code; }
  std::uint32_t target_error_info() const { return target_error_info_; }

 private:
  WorkerSettings settings_;
  SessionClock clock_;
  SessionSinks sinks_;
  StatusReporter& status_;
  EventPtr abort_;
  EventPtr wake_;
  std::atomic<bool> ending_{false};
  mutable std::mutex end_mutex_;
  std::optional<SessionEnd> end_reason_;
  std::string end_detail_;
  std::atomic<std::uint32_t> target_error_info_{0};
  std::atomic<std::int64_t> target_connecting_since_{-1};
  std::atomic<bool> target_active_{false};
  CompositeFrame frame_;
  PointerMailbox pointer_;
  SessionControls controls_;
};

}  // namespace rdpwarden::server::rdp
