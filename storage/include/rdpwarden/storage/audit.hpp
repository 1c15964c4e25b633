#pragma once
// The audit log's vocabulary: a closed catalogue of actions (never free text), who acted, and
// the row as written. The table is append-only; the database itself refuses UPDATE, DELETE and
// TRUNCATE on it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage {

enum class AuditAction {
  user_add,
  user_remove,
  user_passwd,
  target_add,
  target_remove,
  target_fingerprint,  // the gateway recorded a first-seen certificate fingerprint
  account_add,
  account_remove,
  account_passwd,
  grant_add,
  grant_remove,
  key_rotate,
  login_ok,
  login_fail,
  login_logout,
  session_start,
  session_deny,
  session_view,
  session_play,
  session_download,
  session_export,
  session_suspend,
  session_resume,
  session_kill,
  session_message,
  session_watch,
  server_start,
  server_stop,
};
// "user.add", "session.kill", … (the form stored in the database and shown to people).
std::string_view to_string(AuditAction action);
std::optional<AuditAction> parse_audit_action(std::string_view text);

enum class ActorKind { cli, web, gateway, system };
std::string_view to_string(ActorKind kind);
std::optional<ActorKind> parse_actor_kind(std::string_view text);

struct AuditRecord {
  std::string actor;  // a user name, the OS user for the CLI, "rdpwarden" for the system
  ActorKind actor_kind = ActorKind::system;
  AuditAction action = AuditAction::server_start;
  std::string object;          // what was acted on: "user ops1", "session 4b0c…"
  std::string client_address;  // an IP address; empty when not applicable
  std::string details_json;    // a JSON object; empty means {}; never a secret
};

struct AuditEntry {
  std::int64_t id = 0;
  TimePoint at;
  std::string actor;
  ActorKind actor_kind = ActorKind::system;
  AuditAction action = AuditAction::server_start;
  std::string object;
  std::string client_address;
  std::string details_json;
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::vector<AuditAction> actions;  // empty: every action
  std::optional<TimePoint> from;
  std::optional<TimePoint> before;
  std::int64_t offset = 0;
  std::int64_t limit = 100;  // at most 1000
};

struct AuditPage {
  std::vector<AuditEntry> entries;  // newest first
  std::int64_t total = 0;
};

}  // namespace rdpwarden::storage
