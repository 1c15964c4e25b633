#include "supervisor/storage_access_service.hpp"
#include <cstring>

#include <nlohmann/json.hpp>

#include <rdpwarden/policy/access.hpp>
#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "util/log.hpp"

namespace rdpwarden::server::supervisor {
namespace {

using std::chrono::system_clock;

policy::GrantRule rule_of(const storage::Grant& grant) {
  policy::GrantRule rule;
  if (grant.account_id) {
    rule.account_login = grant.account_login;
    rule.account_domain = grant.account_domain;
  }
  rule.valid_from = grant.valid_from;
  rule.valid_until = grant.valid_until;
  for (const auto& text : grant.source_networks) {
    // The repository validated these; one that no longer parses allows nothing.
    if (auto network = policy::parse_network(text))
      rule.source_networks.push_back(*network);
    else
      rule.source_networks.push_back(policy::Network{{}, 128});
  }
  return rule;
}

storage::SessionState state_of(rdp::SessionEnd end) {
  using E = rdp::SessionEnd;
  switch (end) {
    case E::client_disconnect:
    case E::target_disconnect:
      return storage::SessionState::ended;
    case E::killed:
      return storage::SessionState::terminated;
    case E::gateway_shutdown:
      return storage::SessionState::interrupted;
    default:
      return storage::SessionState::failed;
  }
}

void audit(storage::Database& db, storage::AuditAction action, std::string_view actor,
           std::string object, std::string_view client, const nlohmann::json& details) {
  storage::AuditRecord record;
  record.actor = std::string(actor);
  record.actor_kind = storage::ActorKind::gateway;
  record.action = action;
  record.object = std::move(object);
  record.client_address = std::string(client);
  record.details_json = details.dump();
  db.audit().append(record);
}

}  // namespace

std::string_view storage_state_for(rdp::SessionEnd end) {
  return storage::to_string(state_of(end));
}

std::optional<NtHash> StorageAccessService::user_nt_hash(std::string_view user) {
  auto lease = pool_.acquire();
  auto logon = lease->users().find_logon(user);
  if (!logon || logon->nt_hash.size() != 16) return std::nullopt;
  NtHash hash{};
  std::memcpy(hash.data(), logon->nt_hash.bytes().data(), hash.size());
  return hash;
}

AccessAnswer StorageAccessService::authorize(const policy::TargetRequest& request,
                                             const std::optional<policy::IpAddress>& source) {
  AccessAnswer answer;
  auto lease = pool_.acquire();
  auto& db = *lease;
  auto user = db.users().find(request.user);
  auto target = db.targets().find(request.target);
  std::vector<policy::GrantRule> rules;
  std::vector<storage::Account> accounts;
  if (user && target) {
    for (const auto& grant : db.grants().for_user_on_target(user->id, target->id))
      rules.push_back(rule_of(grant));
    accounts = db.accounts().for_target(target->id);
  }
  std::vector<policy::AccountRef> refs;
  for (const auto& a : accounts)
    refs.push_back({a.login, a.domain});
  // An unknown target is answered like a target without a grant: no probing of target names.
  const auto verdict = policy::decide_access({request, source, system_clock::now()}, rules, refs);
  if (!verdict.allowed()) {
    answer.denial = rdp::SessionEnd::access_denied;
    answer.detail = std::string(policy::describe(verdict.denial));
    return answer;
  }
  const storage::Account* account = nullptr;
  for (const auto& a : accounts) {
    if (a.login == verdict.account.login && a.domain == verdict.account.domain) account = &a;
  }
  if (!account) {
    answer.denial = rdp::SessionEnd::access_denied;
    answer.detail = "the granted account vanished";
    return answer;
  }
  auto& grant = answer.grant;
  grant.user = user->name;
  grant.target = target->name;
  grant.account_login = account->login;
  grant.account_domain = account->domain;
  grant.host = target->host;
  grant.port = target->port;
  grant.pinned_fingerprint = target->fingerprint;
  grant.password = rdp::Secret(db.accounts().password(account->id).view());
  return answer;
}

void StorageAccessService::record_fingerprint(std::string_view target,
                                              std::string_view fingerprint) {
  auto lease = pool_.acquire();
  auto found = lease->targets().find(target);
  if (!found) return;
  const auto normalized = storage::normalize_fingerprint(fingerprint);
  if (!normalized) return;
  auto tx = lease->begin();
  const auto stored = lease->targets().record_first_fingerprint(found->id, *normalized);
  if (stored.fingerprint == *normalized && found->fingerprint.empty()) {
    audit(*lease, storage::AuditAction::target_fingerprint, "rdpwarden", "target " + found->name,
          "", {{"fingerprint", *normalized}});
  }
  tx.commit();
}

void StorageAccessService::session_started(const SessionRecord& record) {
  auto lease = pool_.acquire();
  auto& db = *lease;
  auto tx = db.begin();
  storage::NewSession row;
  row.id = record.session_id;
  row.user_id = db.users().get(record.user).id;
  row.target_id = db.targets().get(record.target).id;
  if (auto account = db.accounts().find({record.target, record.account, record.account_domain}))
    row.account_id = account->id;
  row.client_address = record.client_address;
  row.worker_pid = record.worker_pid;
  db.sessions().create(row);
  audit(db, storage::AuditAction::session_start, record.user, "session " + record.session_id,
        record.client_address, {{"target", record.target}, {"account", record.account}});
  tx.commit();
}

void StorageAccessService::session_ended(std::string_view session_id, rdp::SessionEnd reason,
                                         std::string_view detail, std::int64_t recording_bytes) {
  auto lease = pool_.acquire();
  auto session = lease->sessions().get(session_id);
  if (!session || session->state != storage::SessionState::live) return;
  storage::SessionEnd end;
  end.state = state_of(reason);
  end.reason = std::string(rdp::to_string(reason));
  if (!detail.empty()) end.reason += ": " + std::string(detail.substr(0, 200));
  end.duration = std::chrono::duration_cast<std::chrono::milliseconds>(system_clock::now() -
                                                                       session->started_at);
  end.recording_bytes = recording_bytes;
  lease->sessions().end(session_id, end);
}

std::vector<std::string> StorageAccessService::live_sessions() {
  auto lease = pool_.acquire();
  std::vector<std::string> ids;
  for (const auto& s : lease->sessions().live())
    ids.push_back(s.id);
  return ids;
}

void StorageAccessService::session_interrupted(std::string_view session_id,
                                               std::chrono::milliseconds recorded,
                                               std::int64_t recording_bytes) {
  auto lease = pool_.acquire();
  auto session = lease->sessions().get(session_id);
  if (!session || session->state != storage::SessionState::live) return;
  storage::SessionEnd end;
  end.state = storage::SessionState::interrupted;
  end.reason = "interrupted";
  end.duration = recorded;
  end.recording_bytes = recording_bytes;
  lease->sessions().end(session_id, end);
}

void StorageAccessService::record_segment(std::string_view session_id,
                                          const RecordedSegment& segment) {
  storage::SegmentRecord row;
  row.index = segment.index;
  row.file = segment.file;
  row.init_file = segment.init_file;
  row.start_ms = segment.start_ms;
  row.duration_ms = segment.duration_ms;
  row.bytes = segment.bytes;
  row.sha256 = segment.sha256;
  row.chain = segment.chain;
  auto lease = pool_.acquire();
  try {
    lease->segments().add(session_id, row);
  } catch (const storage::AlreadyExists&) {
    // Recovery after a crash re-reports what the worker already did: nothing to add.
  }
}

void StorageAccessService::record_events(std::string_view session_id,
                                         std::span<const RecordedEvent> events) {
  std::vector<storage::EventRecord> rows;
  rows.reserve(events.size());
  for (const auto& e : events)
    rows.push_back({e.t_ms, e.kind, e.line});
  auto lease = pool_.acquire();
  lease->events().append(session_id, rows);
}

void StorageAccessService::record_denial(std::string_view user, std::string_view client_address,
                                         rdp::SessionEnd reason, std::string_view detail) {
  auto lease = pool_.acquire();
  // The login as typed may be anything a client sent: keep it bounded and printable.
  std::string actor(user.substr(0, 128));
  for (char& c : actor) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  audit(*lease, storage::AuditAction::session_deny, actor.empty() ? "?" : actor, "login " + actor,
        policy::parse_ip(client_address) ? client_address : "",
        {{"reason", rdp::to_string(reason)}, {"detail", detail}});
}

void StorageAccessService::record_kill(std::string_view session_id, std::string_view actor) {
  auto lease = pool_.acquire();
  storage::AuditRecord record;
  record.actor = std::string(actor);
  record.actor_kind = storage::ActorKind::cli;
  record.action = storage::AuditAction::session_kill;
  record.object = "session " + std::string(session_id);
  lease->audit().append(record);
}

}  // namespace rdpwarden::server::supervisor
