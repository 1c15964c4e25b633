#include "web/storage_backend.hpp"

#include <rdpwarden/storage/audit.hpp>
#include <rdpwarden/storage/database.hpp>

namespace rdpwarden::server::web {
namespace {

Role to_web(storage::Role role) {
  switch (role) {
    case storage::Role::admin:
      return Role::admin;
    case storage::Role::auditor:
      return Role::auditor;
    case storage::Role::user:
      return Role::user;
  }
  return Role::user;
}

SessionState to_web(storage::SessionState state) {
  switch (state) {
    case storage::SessionState::live:
      return SessionState::live;
    case storage::SessionState::ended:
      return SessionState::ended;
    case storage::SessionState::failed:
      return SessionState::failed;
    case storage::SessionState::terminated:
      return SessionState::terminated;
    case storage::SessionState::interrupted:
      return SessionState::interrupted;
  }
  return SessionState::ended;
}

storage::SessionState to_storage(SessionState state) {
  switch (state) {
    case SessionState::live:
      return storage::SessionState::live;
    case SessionState::ended:
      return storage::SessionState::ended;
    case SessionState::failed:
      return storage::SessionState::failed;
    case SessionState::terminated:
      return storage::SessionState::terminated;
    case SessionState::interrupted:
      return storage::SessionState::interrupted;
  }
  return storage::SessionState::ended;
}

storage::AuditAction to_storage(AuditAction action) {
  switch (action) {
    case AuditAction::login_ok:
      return storage::AuditAction::login_ok;
    case AuditAction::login_fail:
      return storage::AuditAction::login_fail;
    case AuditAction::logout:
      return storage::AuditAction::login_logout;
    case AuditAction::session_view:
      return storage::AuditAction::session_view;
    case AuditAction::session_play:
      return storage::AuditAction::session_play;
    case AuditAction::session_download:
      return storage::AuditAction::session_download;
  }
  return storage::AuditAction::session_view;
}

SessionRow to_row(const storage::Session& s) {
  SessionRow row;
  row.id = s.id;
  row.user = s.user_name;
  row.target = s.target_name;
  // A domain account reads as Windows writes it.
  row.account =
      s.account_domain.empty() ? s.account_login : s.account_domain + "\\" + s.account_login;
  row.client_address = s.client_address;
  row.state = to_web(s.state);
  row.started_at = s.started_at;
  row.ended_at = s.ended_at;
  if (s.duration) {
    row.duration_ms = s.duration->count();
  } else if (s.state == storage::SessionState::live) {
    row.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now() - s.started_at)
                          .count();
  }
  row.bytes = s.recording_bytes;
  row.end_reason = s.end_reason;
  return row;
}

auto optional_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

PasswordCheck StorageBackend::check_password(std::string_view user, std::string_view password) {
  auto lease = pool_.acquire();
  auto found = lease->users().verify_web_password(user, password);
  // Storage answers the same for an unknown name and a wrong password (and takes as long).
  if (!found) return {PasswordVerdict::wrong, {}};
  return {PasswordVerdict::ok, {found->name, to_web(found->role)}};
}

SessionPage StorageBackend::list_sessions(const SessionQuery& q) {
  storage::SessionFilter filter;
  filter.user = optional_text(q.user);
  filter.target = optional_text(q.target);
  filter.account = optional_text(q.account);
  filter.started_from = q.started_from;
  filter.started_before = q.started_until;
  if (q.state) filter.state = to_storage(*q.state);
  filter.text = q.text;
  filter.offset = q.offset;
  filter.limit = q.limit;
  auto lease = pool_.acquire();
  auto page = lease->sessions().list(filter);
  SessionPage out;
  out.total = page.total;
  for (const auto& s : page.sessions)
    out.rows.push_back(to_row(s));
  return out;
}

std::optional<SessionRow> StorageBackend::find_session(std::string_view id) {
  auto lease = pool_.acquire();
  auto s = lease->sessions().get(id);
  if (!s) return std::nullopt;
  return to_row(*s);
}

void StorageBackend::append_audit(const AuditEntry& entry) {
  storage::AuditRecord record;
  record.actor = entry.actor;
  record.actor_kind = storage::ActorKind::web;
  record.action = to_storage(entry.action);
  record.object = entry.session_id.empty() ? std::string() : "session " + entry.session_id;
  record.client_address = entry.client_address;
  record.details_json = entry.details_json;
  auto lease = pool_.acquire();
  lease->audit().append(record);
}

}  // namespace rdpwarden::server::web
