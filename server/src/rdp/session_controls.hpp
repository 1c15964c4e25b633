#pragma once
// What auditors do to a live session, handed from the control channel's reader thread to the
// front's peer thread: suspend (the admin's input stops reaching the target and a banner says
// why), resume, and messages shown to the admin. The recording goes on throughout.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rdpwarden::server::rdp {

struct ControlRequest {
  enum class Action { suspend, resume, message, watch_started, watch_stopped };
  Action action = Action::message;
  std::string actor;
  std::string text;
  std::chrono::seconds duration{10};  // how long a message stays on screen
};

const char* to_string(ControlRequest::Action action);

class SessionControls {
 public:
  // Any thread.
  void post(ControlRequest request);
  bool suspended() const { return suspended_.load(); }
  // The front's thread: everything posted since the last call, in order.
  std::vector<ControlRequest> take();

 private:
  std::mutex mutex_;
  std::vector<ControlRequest> pending_;
  std::atomic<bool> suspended_{false};
};

}  // namespace rdpwarden::server::rdp
