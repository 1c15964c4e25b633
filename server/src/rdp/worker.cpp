#include "rdp/worker.hpp"
#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <stop_token>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recording_error.hpp>

#include "rdp/control_link.hpp"
#include "rdp/freerdp_runtime.hpp"
#include "rdp/front_peer.hpp"
#include "rdp/live_forwarder.hpp"
#include "rdp/recording_forwarder.hpp"
#include "rdp/session_recording.hpp"
#include "rdp/watchdog.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

using namespace std::chrono_literals;

// Starts the recording once the admin is admitted; false when it cannot and must.
bool start_recording(Session& session, SessionRecording& recording, RecordingForwarder& forwarder,
                     const TargetGrant& grant) {
  const auto& settings = session.settings();
  if (!settings.recording.enabled) return true;
  session.restart_clock();  // the recording's timeline starts now, at 0
  try {
    recording.start(recorder_options(session), forwarder);
  } catch (const codec::RecordingError& e) {
    log::error("cannot record the session: {}", e.what());
    return !settings.recording.fail_closed;
  }
  nlohmann::json fields{{"user", grant.user},
                        {"target", grant.target},
                        {"account", grant.account_login},
                        {"client", settings.client_address}};
  recording.on_event("session.start", fields.dump(), session.clock().now());
  return true;
}

// An auditor's request from the supervisor (on the control channel's reader thread).
void apply_control(Session& session, SessionRecording& recording,
                   const std::shared_ptr<LiveForwarder>& live, bool& live_attached,
                   const nlohmann::json& request) {
  using Action = ControlRequest::Action;
  const auto action = request.value("action", "");
  ControlRequest control;
  control.actor = request.value("actor", "");
  control.text = request.value("text", "");
  control.duration = std::chrono::seconds(std::clamp(request.value("seconds", 10), 1, 600));
  if (action == "watch") {
    // The first watcher attaches the live view (the recorder starts it with a keyframe); a
    // later one needs a keyframe of its own to start from.
    if (live_attached) {
      recording.request_keyframe();
    } else {
      recording.set_live_subscriber(live);
      live_attached = true;
    }
    control.action = Action::watch_started;
  } else if (action == "unwatch") {
    if (request.value("remaining", 0) <= 0 && live_attached) {
      recording.set_live_subscriber(nullptr);
      live_attached = false;
    }
    control.action = Action::watch_stopped;
  } else if (action == "suspend") {
    control.action = Action::suspend;
  } else if (action == "resume") {
    control.action = Action::resume;
  } else if (action == "message" && !control.text.empty()) {
    control.action = Action::message;
    if (control.text.size() > 500) control.text.resize(500);
  } else {
    return;
  }
  session.controls().post(std::move(control));
  session.wake();
}

}  // namespace

int run_worker(int client_fd, int control_fd) {
  // Cleartext credentials pass through this process: no core dumps, no ptrace by the same user.
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  init_freerdp_runtime();
  ControlLink link(control_fd);
  WorkerSettings settings;
  try {
    settings = link.receive_init(10s);
  } catch (const std::exception& e) {
    log::error("worker: {}", e.what());
    ::close(client_fd);
    return 1;
  }
  log::set_level(settings.log_level);
  log::set_process_tag("session " + settings.session_id.substr(0, 8));

  SessionRecording recording;
  Session session(std::move(settings), {recording, recording, recording}, link);
  RecordingForwarder forwarder(link, session);
  auto live = std::make_shared<LiveForwarder>(link);
  bool live_attached = false;  // only touched on the control reader thread
  link.start(
      [&session](SessionEnd reason, const std::string& message) {
        log::info("terminated by the supervisor: {}", message.empty() ? describe(reason) : message);
        session.end(reason, message);
      },
      [&session, &recording, live, &live_attached](const nlohmann::json& request) {
        apply_control(session, recording, live, live_attached, request);
      });
  // The supervisor's /metrics show the recorder's backlog.
  std::jthread stats([&link, &recording](std::stop_token stop) {
    pthread_setname_np(pthread_self(), "rdpw-stats");
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    while (!stop.stop_requested()) {
      wake.wait_for(lock, stop, std::chrono::seconds(2), [] { return false; });
      if (!stop.stop_requested() && recording.active()) link.send_stats(recording.queue_depth());
    }
  });

  std::unique_ptr<FrontPeer> front;
  try {
    front = std::make_unique<FrontPeer>(
        session, link, client_fd, [&session, &recording, &forwarder](const TargetGrant& grant) {
          return start_recording(session, recording, forwarder, grant);
        });
  } catch (const std::exception& e) {
    session.end(SessionEnd::gateway_error, e.what());
    log::error("cannot start the session: {}", e.what());
    link.send_ended(SessionEnd::gateway_error, e.what(), 0);
    return 1;
  }
  {
    Watchdog watchdog(
        session, [&front] { return front->handshake_done(); }, client_fd);
    front->run();
  }
  const bool stopped = front->stop_back();
  const SessionEnd reason = session.end_reason().value_or(SessionEnd::gateway_error);
  std::uint64_t recorded_bytes = 0;
  if (stopped && recording.active()) {
    // Nothing paints any more: the recording can be finished and made durable.
    const auto now = session.clock().now();
    recording.on_event("session.end", nlohmann::json{{"reason", to_string(reason)}}.dump(), now);
    if (auto summary = recording.stop(to_string(reason), now)) recorded_bytes = summary->bytes;
  }
  link.send_ended(reason, session.end_detail(), recorded_bytes);
  if (!stopped) {
    // A FreeRDP thread is stuck in a blocking call; the end is reported, the process goes.
    ::_exit(0);
  }
  front.reset();
  stats.request_stop();
  stats.join();
  link.stop();
  return 0;
}

}  // namespace rdpwarden::server::rdp
