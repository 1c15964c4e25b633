#pragma once
// The rows rdpwarden keeps, as plain values. Times are UTC system_clock time points; names are
// matched case-insensitively (Windows logins are) and returned as they were first written.
// Secrets never appear here: they are fetched on purpose, unsealed, as SecretBytes.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdpwarden::storage {

using TimePoint = std::chrono::system_clock::time_point;
using RowId = std::int64_t;

enum class Role { admin, auditor, user };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct User {
  RowId id = 0;
  std::string name;
  Role role = Role::user;
  TimePoint created_at;
  TimePoint password_changed_at;
};

// A pinned fingerprint is set by an administrator; a first-seen one was recorded by the gateway
// on the first connection to a target that had none (trust on first use).
enum class FingerprintOrigin { none, pinned, first_seen };
std::string_view to_string(FingerprintOrigin origin);

struct Target {
  RowId id = 0;
  std::string name;
  std::string host;
  std::uint16_t port = 3389;
  std::string fingerprint;  // lowercase hex SHA-256 of the certificate; empty when none
  FingerprintOrigin fingerprint_origin = FingerprintOrigin::none;
  TimePoint created_at;
};

struct NewTarget {
  std::string name;
  std::string host;
  std::uint16_t port = 3389;
  std::string fingerprint;  // any common spelling; normalized by normalize_fingerprint()
};

// "AB:CD:…", "sha256:abcd…", upper or lower case → 64 lowercase hex digits; nullopt otherwise.
std::optional<std::string> normalize_fingerprint(std::string_view text);
// A DNS name (RFC 1123 labels), an IPv4 address or an IPv6 address without brackets.
bool is_valid_host(std::string_view host);

struct Account {
  RowId id = 0;
  RowId target_id = 0;
  std::string target_name;
  std::string login;
  std::string domain;  // empty: a local account
  TimePoint created_at;
  TimePoint password_changed_at;
};

// Names one account of a target. `domain` nullopt means "whichever domain, as long as only
// one account of the target has this login"; "" is a local account.
struct AccountKey {
  std::string target;
  std::string login;
  std::optional<std::string> domain;
};

struct Grant {
  RowId id = 0;
  RowId user_id = 0;
  std::string user_name;
  RowId target_id = 0;
  std::string target_name;
  std::optional<RowId> account_id;  // nullopt: any account of the target
  std::string account_login;
  std::string account_domain;
  std::optional<TimePoint> valid_from;
  std::optional<TimePoint> valid_until;
  std::vector<std::string> source_networks;  // CIDR text ("10.0.0.0/8"); empty: any source
  TimePoint created_at;
};

// Names one grant: a user's access to a target, through one account or any.
struct GrantKey {
  std::string user;
  std::string target;
  std::optional<std::string> account_login;   // nullopt: the grant that covers any account
  std::optional<std::string> account_domain;  // as AccountKey::domain
};

struct NewGrant {
  GrantKey key;
  std::optional<TimePoint> valid_from;
  std::optional<TimePoint> valid_until;
  std::vector<std::string> source_networks;  // CIDR or single addresses
};

struct GrantFilter {
  std::optional<std::string> user;
  std::optional<std::string> target;
};

enum class SessionState { live, ended, failed, terminated, interrupted };
std::string_view to_string(SessionState state);
std::optional<SessionState> parse_session_state(std::string_view text);

struct NewSession {
  std::string id;  // empty: the database generates a UUID
  RowId user_id = 0;
  RowId target_id = 0;
  std::optional<RowId> account_id;
  std::string client_address;  // an IP address; empty when unknown
  int worker_pid = 0;
};

struct SessionEnd {
  SessionState state = SessionState::ended;  // anything but live
  std::string reason;                        // e.g. "client-disconnect", "killed by auditor1"
  std::chrono::milliseconds duration{0};
  std::int64_t recording_bytes = 0;
};

struct Session {
  std::string id;
  std::string user_name;
  std::string target_name;
  std::string account_login;
  std::string account_domain;
  std::string client_address;
  int worker_pid = 0;
  SessionState state = SessionState::live;
  TimePoint started_at;
  std::optional<TimePoint> ended_at;
  std::string end_reason;
  std::optional<std::chrono::milliseconds> duration;
  std::int64_t recording_bytes = 0;
};

struct SessionFilter {
  std::optional<std::string> user;
  std::optional<std::string> target;
  std::optional<std::string> account;  // login, case-insensitive
  std::optional<TimePoint> started_from;
  std::optional<TimePoint> started_before;
  std::optional<SessionState> state;
  std::string text;  // words typed in the session (web search syntax: "a phrase", or, -word)
  std::int64_t offset = 0;
  std::int64_t limit = 50;  // at most 1000
};

struct SessionPage {
  std::vector<Session> sessions;  // live first, then newest first
  std::int64_t total = 0;         // rows matching the filter, ignoring offset and limit
};

struct EventRecord {
  std::int64_t t_ms = 0;  // session time
  std::string kind;       // from the event catalogue (docs/recording-format.md)
  std::string data_json;  // a JSON object with the event's fields; empty means {}
};

struct StoredEvent {
  std::int64_t seq = 0;  // insertion order within the session
  std::int64_t t_ms = 0;
  std::string kind;
  std::string data_json;
};

struct EventQuery {
  std::vector<std::string> kinds;  // empty: every kind
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> until_ms;  // exclusive
  std::int64_t after_seq = 0;            // for paging: the last seq already read
  std::int64_t limit = 1000;             // at most 10000
};

struct SegmentRecord {
  int index = 0;  // 1, 2, …
  std::string file;
  std::string init_file;
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
  std::int64_t bytes = 0;
  std::string sha256;
  std::string chain;
};

}  // namespace rdpwarden::storage
