#pragma once
// What the web console needs from the rest of rdpwarden, as one small role interface. The
// supervisor passes an implementation to WebServer; tests use a double
// (tests/server/web/fake_backend.hpp).
//
// Threading: WebServer calls these from its worker pool (never from the socket threads), up to
// WebServer::kWorkerThreads calls at once. Implementations may block (libpq) but must be
// thread-safe. Errors: a method throws (e.g. storage::StorageError) when the answer cannot be
// obtained; the console turns that into a 503 and logs it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdpwarden::server::web {

enum class Role { admin, auditor, user };
std::string_view to_string(Role role);
// Only admins and auditors may use the console.
inline bool may_use_console(Role role) {
  return role == Role::admin || role == Role::auditor;
}

struct Principal {
  std::string name;
  Role role = Role::user;
};

enum class PasswordVerdict { ok, wrong, unknown_user, disabled };

struct PasswordCheck {
  PasswordVerdict verdict = PasswordVerdict::wrong;
  Principal principal;  // filled when verdict == ok
};

enum class SessionState { live, ended, failed, terminated, interrupted };
std::string_view to_string(SessionState state);
std::optional<SessionState> parse_session_state(std::string_view text);

using TimePoint = std::chrono::system_clock::time_point;

// One row of the sessions list (the database's view of a session).
struct SessionRow {
  std::string id;
  std::string user;
  std::string target;
  std::string account;
  std::string client_address;
  SessionState state = SessionState::ended;
  TimePoint started_at;
  std::optional<TimePoint> ended_at;
  std::int64_t duration_ms = 0;  // so far, for a live session
  std::int64_t bytes = 0;        // recorded bytes
  std::string end_reason;        // empty while live
};

// Filters of the sessions page; an empty string or nullopt means "any". Results are ordered
// live sessions first, then newest start first.
struct SessionQuery {
  std::string user;
  std::string target;
  std::string account;
  std::string text;  // free text over typed text (events of kind `text` and `unicode`)
  std::optional<SessionState> state;
  std::optional<TimePoint> started_from;   // inclusive
  std::optional<TimePoint> started_until;  // exclusive
  std::int64_t offset = 0;
  std::int64_t limit = 50;
};

struct SessionPage {
  std::vector<SessionRow> rows;
  std::int64_t total = 0;  // matching rows over all pages
};

// Audit actions the console writes (a closed catalogue; storage maps them to its enum).
enum class AuditAction {
  login_ok,
  login_fail,
  logout,
  session_view,
  session_play,
  session_download,
};
std::string_view to_string(AuditAction action);

struct AuditEntry {
  std::string actor;  // the console user's name (for login_fail: the name that was tried)
  AuditAction action = AuditAction::session_view;
  std::string session_id;  // empty when not about a session
  std::string client_address;
  std::string details_json = "{}";  // a JSON object
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Verifies a console password against the stored KDF hash. Must take about the same time
  // for an unknown user as for a wrong password (no user enumeration by timing).
  virtual PasswordCheck check_password(std::string_view user, std::string_view password) = 0;
  virtual SessionPage list_sessions(const SessionQuery& query) = 0;
  virtual std::optional<SessionRow> find_session(std::string_view id) = 0;
  virtual void append_audit(const AuditEntry& entry) = 0;
};

}  // namespace rdpwarden::server::web
