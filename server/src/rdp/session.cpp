#include "rdp/session.hpp"

#include <winpr/synch.h>

namespace rdpwarden::server::rdp {

std::string_view to_string(SessionState state) {
  switch (state) {
    case SessionState::handshake:
      return "handshake";
    case SessionState::authorized:
      return "authorized";
    case SessionState::connecting:
      return "connecting";
    case SessionState::active:
      return "active";
    case SessionState::ending:
      return "ending";
  }
  return "unknown";
}

Session::Session(WorkerSettings settings, SessionSinks sinks, StatusReporter& status)
    : settings_(std::move(settings)),
      sinks_(sinks),
      status_(status),
      abort_(make_event()),
      wake_(make_event()),
      frame_(sinks.frames, clock_, [this] { wake(); }) {}

bool Session::end(SessionEnd reason, std::string_view detail) {
  {
    std::lock_guard lock(end_mutex_);
    if (end_reason_) return false;
    end_reason_ = reason;
    end_detail_ = detail;
    ending_ = true;
  }
  SetEvent(abort_.get());
  wake();
  return true;
}

std::optional<SessionEnd> Session::end_reason() const {
  std::lock_guard lock(end_mutex_);
  return end_reason_;
}

std::string Session::end_detail() const {
  std::lock_guard lock(end_mutex_);
  return end_detail_;
}

std::optional<std::chrono::milliseconds> Session::target_connecting_for() const {
  const auto since = target_connecting_since_.load();
  if (since < 0 || target_active_) return std::nullopt;
  return clock_.now() - std::chrono::milliseconds(since);
}

void Session::wake() {
  SetEvent(wake_.get());
}

void Session::woken() {
  ResetEvent(wake_.get());
}

}  // namespace rdpwarden::server::rdp
