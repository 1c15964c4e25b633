#include "rdp/session_controls.hpp"

namespace rdpwarden::server::rdp {

const char* to_string(ControlRequest::Action action) {
  switch (action) {
    case ControlRequest::Action::suspend:
      return "suspend";
    case ControlRequest::Action::resume:
      return "resume";
    case ControlRequest::Action::message:
      return "message";
    case ControlRequest::Action::watch_started:
      return "watch-start";
    case ControlRequest::Action::watch_stopped:
      return "watch-stop";
  }
  return "unknown";
}

void SessionControls::post(ControlRequest request) {
  // The flag changes at once: input arriving before the front's thread sees the request is
  // already held back.
  if (request.action == ControlRequest::Action::suspend) suspended_ = true;
  if (request.action == ControlRequest::Action::resume) suspended_ = false;
  std::lock_guard lock(mutex_);
  pending_.push_back(std::move(request));
}

std::vector<ControlRequest> SessionControls::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(pending_, {});
}

}  // namespace rdpwarden::server::rdp
