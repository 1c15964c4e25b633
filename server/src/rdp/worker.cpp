#include "rdp/worker.hpp"
#include <memory>
#include <unistd.h>

#include <rdpwarden/codec/session_sink.hpp>

#include "rdp/control_link.hpp"
#include "rdp/freerdp_runtime.hpp"
#include "rdp/front_peer.hpp"
#include "rdp/watchdog.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

using namespace std::chrono_literals;

// The session's observers. The recorder plugs in here; until then nothing observes.
struct Observers {
  codec::NullSessionSink null;
  SessionSinks sinks() { return {null, null, null}; }
};

}  // namespace

int run_worker(int client_fd, int control_fd) {
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

  Observers observers;
  Session session(std::move(settings), observers.sinks(), link);
  link.start([&session](SessionEnd reason, const std::string& message) {
    log::info("terminated by the supervisor: {}", message.empty() ? describe(reason) : message);
    session.end(reason, message);
  });

  std::unique_ptr<FrontPeer> front;
  try {
    front = std::make_unique<FrontPeer>(session, link, client_fd);
  } catch (const std::exception& e) {
    session.end(SessionEnd::gateway_error, e.what());
    log::error("cannot start the session: {}", e.what());
    link.send_ended(SessionEnd::gateway_error, e.what());
    return 1;
  }
  {
    Watchdog watchdog(
        session, [&front] { return front->handshake_done(); }, client_fd);
    front->run();
  }
  const bool stopped = front->stop_back();
  const SessionEnd reason = session.end_reason().value_or(SessionEnd::gateway_error);
  link.send_ended(reason, session.end_detail());
  if (!stopped) {
    // A FreeRDP thread is stuck in a blocking call; the end is reported, the process goes.
    ::_exit(0);
  }
  front.reset();
  link.stop();
  return 0;
}

}  // namespace rdpwarden::server::rdp
