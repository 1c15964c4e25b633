#pragma once
// Issue 7, console side: what the console may do to a running session. POST
// /api/v1/sessions/{id}/{suspend|resume|terminate|message} reach app::LiveSessions::control, and
// the live view's WebSocket (GET /api/v1/sessions/{id}/live) is admitted here before the
// connection upgrades. The LiveSessions implementation (the supervisor) writes the audit rows
// and timeline events; the console only says who asked and from where.
//
// Roles: admin and auditor may watch, message, suspend, resume and terminate (the console is
// theirs; every action is audited by the implementation). Without a LiveSessions (nullptr: a
// console run without the gateway) the routes answer 503 and no session is watchable.

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "app/live_sessions.hpp"
#include "web/backend.hpp"
#include "web/request_context.hpp"
#include "web/response_body.hpp"

namespace rdpwarden::server::web {

// Who may watch which session, decided before the WebSocket handshake answers.
struct LiveGrant {
  std::string session_id;
  std::string actor;
  std::string actor_address;
};

class LiveApi {
 public:
  static constexpr std::size_t kMaxMessageBytes = 500;

  LiveApi(Backend& backend, app::LiveSessions* live) : backend_(backend), live_(live) {}

  Response control(const RequestContext& ctx);
  // The WebSocket admission: a grant, or the response that refuses it (403, 404, 409, 503).
  // The caller has already checked the session cookie.
  std::optional<Response> admit_watch(const RequestContext& ctx, LiveGrant& grant);
  // {"watchable": bool, "suspended": bool, "watchers": n} for a session the database says is
  // live, as the gateway sees it now (a CLI suspend included); null when the console has no
  // LiveSessions.
  nlohmann::json live_state(const SessionRow& row);

  app::LiveSessions* sessions() const { return live_; }

 private:
  Backend& backend_;
  app::LiveSessions* live_;
};

// The live view's text message for a control state: {"type":"state","suspended":..,"watchers":..}.
std::string live_state_message(const app::LiveState& state);

// Checks a console message: UTF-8 (the JSON parser already insists), 1 to kMaxMessageBytes
// bytes after trimming, no control characters but newline and tab. Returns the problem, or
// nullopt when it is fine; `text` comes back trimmed.
std::optional<std::string> check_message_text(std::string& text);

}  // namespace rdpwarden::server::web
