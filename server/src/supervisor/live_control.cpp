#include "supervisor/live_control.hpp"

#include "util/log.hpp"

namespace rdpwarden::server::supervisor {

bool LiveControl::is_live(std::string_view session_id) {
  const LiveSession* s = registry_.find(session_id);
  return s && s->authorized && !s->end_reason;
}

std::optional<app::LiveState> LiveControl::state(std::string_view session_id) {
  if (!is_live(session_id)) return std::nullopt;
  const LiveSession* s = registry_.find(session_id);
  return app::LiveState{s->suspended, s->watchers};
}

app::LiveResult LiveControl::apply(const app::LiveCommand& command, bool from_console) {
  using app::LiveAction;
  const Actor actor{command.actor, command.actor_address, from_console};
  const std::string& id = command.session_id;
  if (command.action == LiveAction::message &&
      (command.text.empty() || command.text.size() > kMaxMessageBytes))
    return app::LiveResult::invalid;
  if (command.action == LiveAction::terminate) {
    // A connection still in its handshake can be terminated too; it has no session row yet.
    const LiveSession* s = registry_.find(id);
    if (!s || s->end_reason) return app::LiveResult::not_live;
    const std::string why = command.text.empty() ? "terminated by " + command.actor : command.text;
    registry_.kill(id, rdp::SessionEnd::killed, why);
    log::info("session {} terminated by {}", id, command.actor);
    if (s->authorized) audit(id, ControlKind::terminate, actor);
    return app::LiveResult::ok;
  }
  if (!is_live(id)) return app::LiveResult::not_live;
  SessionControl action = SessionControl::message;
  ControlKind kind = ControlKind::message;
  if (command.action == LiveAction::suspend) {
    action = SessionControl::suspend;
    kind = ControlKind::suspend;
  } else if (command.action == LiveAction::resume) {
    action = SessionControl::resume;
    kind = ControlKind::resume;
  }
  if (!registry_.control(id, action, command.actor, command.text, kMessageSeconds))
    return app::LiveResult::not_live;
  log::info("session {}: {} by {}", id,
            kind == ControlKind::suspend  ? "suspended"
            : kind == ControlKind::resume ? "resumed"
                                          : "message shown",
            command.actor);
  audit(id, kind, actor, command.text);
  if (kind != ControlKind::message) publish(id);
  return app::LiveResult::ok;
}

std::optional<int> LiveControl::watch(std::string_view session_id, const Actor& actor,
                                      std::shared_ptr<app::LiveWatcher> watcher) {
  if (!is_live(session_id)) return std::nullopt;
  std::weak_ptr<app::LiveWatcher> weak = watcher;
  auto id = registry_.watch(session_id, actor.name, std::move(watcher));
  if (!id) return std::nullopt;
  log::info("session {} watched by {}", session_id, actor.name);
  audit(std::string(session_id), ControlKind::watch_start, actor);
  watchers_[std::string(session_id)][*id] = std::move(weak);
  publish(std::string(session_id));
  return id;
}

void LiveControl::unwatch(std::string_view session_id, int watch_id, const Actor& actor) {
  // The session may be gone already (its watchers were told); the stop is audited either way.
  registry_.unwatch(session_id, watch_id, actor.name);
  audit(std::string(session_id), ControlKind::watch_stop, actor);
  if (auto it = watchers_.find(session_id); it != watchers_.end()) {
    it->second.erase(watch_id);
    if (it->second.empty()) watchers_.erase(it);
  }
  publish(std::string(session_id));
}

void LiveControl::publish(const std::string& session_id) {
  auto it = watchers_.find(session_id);
  if (it == watchers_.end()) return;
  auto now = state(session_id);
  if (!now) return;  // ending: the watchers get on_end from the worker's link
  for (auto w = it->second.begin(); w != it->second.end();) {
    if (auto watcher = w->second.lock()) {
      try {
        watcher->on_state(*now);
      } catch (const std::exception& e) {
        log::error("session {}: a watcher failed on a state change: {}", session_id, e.what());
      }
      ++w;
    } else {
      w = it->second.erase(w);  // its link let it go (the session ended)
    }
  }
}

void LiveControl::audit(const std::string& session_id, ControlKind kind, const Actor& actor,
                        const std::string& text) {
  if (!audit_) return;
  try {
    audit_({session_id, kind, actor.name, actor.address, actor.console, text});
  } catch (const std::exception& e) {
    log::error("cannot write the audit row for session {}: {}", session_id, e.what());
  }
}

}  // namespace rdpwarden::server::supervisor
