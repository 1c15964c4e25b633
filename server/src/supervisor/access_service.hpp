#pragma once
// What the supervisor needs from the vault and the policy to admit a session, and where it
// writes session rows and access events. Implemented on storage (PostgreSQL) for `serve`;
// tests may use a fake.
//
// Threads: called from the supervisor's io thread only.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/policy/network.hpp>
#include <rdpwarden/policy/target_request.hpp>

#include "rdp/secret.hpp"
#include "rdp/session_end.hpp"

namespace rdpwarden::server::supervisor {

using NtHash = std::array<std::uint8_t, 16>;

struct AccessGrant {
  std::string user;
  std::string target;
  std::string account_login;
  std::string account_domain;
  std::string host;
  std::uint16_t port = 3389;
  rdp::Secret password;
  std::string pinned_fingerprint;
};

struct AccessAnswer {
  std::optional<rdp::SessionEnd> denial;  // access_denied (with detail) or bad_username
  std::string detail;
  AccessGrant grant;
};

struct SessionRecord {
  std::string session_id;
  std::string user;
  std::string target;
  std::string account;
  std::string account_domain;
  std::string client_address;
  int worker_pid = 0;
  std::chrono::system_clock::time_point started_at;
};

// A recording segment that is durable on disk (the manifest's entry).
struct RecordedSegment {
  int index = 0;
  std::string file;
  std::string init_file;
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
  std::int64_t bytes = 0;
  std::string sha256;
  std::string chain;
};

// One event line as written to events.jsonl.
struct RecordedEvent {
  std::int64_t t_ms = 0;
  std::string kind;
  std::string line;  // the whole JSON object
};

class AccessService {
 public:
  virtual ~AccessService() = default;
  // The NT hash of a gateway user; nullopt when there is no such (enabled) user.
  virtual std::optional<NtHash> user_nt_hash(std::string_view user) = 0;
  // May this authenticated user reach what the request names, from `source`, now? On success
  // the grant carries the account's password, unsealed for this one session.
  virtual AccessAnswer authorize(const policy::TargetRequest& request,
                                 const std::optional<policy::IpAddress>& source) = 0;
  // First sight of a target's certificate when none is pinned (trust on first use).
  virtual void record_fingerprint(std::string_view target, std::string_view fingerprint) = 0;

  virtual void session_started(const SessionRecord& record) = 0;
  virtual void session_ended(std::string_view session_id, rdp::SessionEnd reason,
                             std::string_view detail, std::int64_t recording_bytes) = 0;
  // A session left 'live' by a previous run of the gateway (found at start-up).
  virtual std::vector<std::string> live_sessions() = 0;
  virtual void session_interrupted(std::string_view session_id, std::chrono::milliseconds recorded,
                                   std::int64_t recording_bytes) = 0;
  // Recording rows; a segment already recorded is ignored.
  virtual void record_segment(std::string_view session_id, const RecordedSegment& segment) = 0;
  virtual void record_events(std::string_view session_id,
                             std::span<const RecordedEvent> events) = 0;
  // A refused login (wrong password, unknown user, no grant...) as an audit event. `user` is
  // what was typed, `client_address` where from.
  virtual void record_denial(std::string_view user, std::string_view client_address,
                             rdp::SessionEnd reason, std::string_view detail) = 0;
  // An administrator asked to terminate a live session (`actor`: who, e.g. the OS user).
  virtual void record_kill(std::string_view session_id, std::string_view actor) = 0;
};

}  // namespace rdpwarden::server::supervisor
