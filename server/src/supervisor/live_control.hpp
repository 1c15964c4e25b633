#pragma once
// What auditors and administrators do to live sessions — terminate, suspend, resume, message,
// watch — applied through the registry to the sessions' workers and written to the audit log,
// the same way whether it comes from the console (LiveSessionsService) or from the CLI (the
// admin socket). The session's own timeline gets the matching event from its worker.
// Every watcher of a session hears about each change of its control state (on_state), so a
// console tab shows a suspend made from the CLI or from another tab.
//
// Threads: the supervisor's io thread only.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/live_sessions.hpp"
#include "supervisor/access_service.hpp"
#include "supervisor/session_registry.hpp"

namespace rdpwarden::server::supervisor {

using ControlAuditFn = std::function<void(const ControlAudit& audit)>;

// Who is acting, for the audit log.
struct Actor {
  std::string name;
  std::string address;  // empty for the CLI
  bool console = false;
};

class LiveControl {
 public:
  static constexpr std::size_t kMaxMessageBytes = 500;
  static constexpr int kMessageSeconds = 10;

  LiveControl(SessionRegistry& registry, ControlAuditFn audit)
      : registry_(registry), audit_(std::move(audit)) {}

  SessionRegistry& registry() { return registry_; }
  // Admitted, and not ending: can be watched and controlled.
  bool is_live(std::string_view session_id);
  app::LiveResult apply(const app::LiveCommand& command, bool from_console);
  // nullopt when the session is not live.
  std::optional<app::LiveState> state(std::string_view session_id);
  // nullopt when the session is not live.
  std::optional<int> watch(std::string_view session_id, const Actor& actor,
                           std::shared_ptr<app::LiveWatcher> watcher);
  void unwatch(std::string_view session_id, int watch_id, const Actor& actor);

 private:
  void audit(const std::string& session_id, ControlKind kind, const Actor& actor,
             const std::string& text = {});
  // Tells every watcher of the session its current control state.
  void publish(const std::string& session_id);

  SessionRegistry& registry_;
  ControlAuditFn audit_;
  // The watchers of each session by watch id, held weakly: the worker's link owns them.
  std::map<std::string, std::map<int, std::weak_ptr<app::LiveWatcher>>, std::less<>> watchers_;
};

}  // namespace rdpwarden::server::supervisor
