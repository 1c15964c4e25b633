#include "web/backend.hpp"

namespace rdpwarden::server::web {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::auditor:
      return "auditor";
    case Role::user:
      return "user";
  }
  return "user";
}

std::string_view to_string(SessionState state) {
  switch (state) {
    case SessionState::live:
      return "live";
    case SessionState::ended:
      return "ended";
    case SessionState::failed:
      return "failed";
    case SessionState::terminated:
      return "terminated";
    case SessionState::interrupted:
      return "interrupted";
  }
  return "ended";
}

std::optional<SessionState> parse_session_state(std::string_view text) {
  for (auto s : {SessionState::live, SessionState::ended, SessionState::failed,
                 SessionState::terminated, SessionState::interrupted}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_string(AuditAction action) {
  switch (action) {
    case AuditAction::login_ok:
      return "login.ok";
    case AuditAction::login_fail:
      return "login.fail";
    case AuditAction::logout:
      return "logout";
    case AuditAction::session_view:
      return "session.view";
    case AuditAction::session_play:
      return "session.play";
    case AuditAction::session_download:
      return "session.download";
  }
  return "unknown";
}

}  // namespace rdpwarden::server::web
