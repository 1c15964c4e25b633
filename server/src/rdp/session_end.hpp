#pragma once
// Why a session ended: one closed list, which side caused it, what the admin's client is told.
// The worker decides the reason once (the first one wins) and one cleanup function acts on it;
// the supervisor stores it in the session row.

#include <cstdint>
#include <optional>
#include <string_view>

namespace rdpwarden::server::rdp {

enum class EndSide { user, target, gateway, administrator };

enum class SessionEnd {
  client_disconnect,      // the admin closed the client or the connection dropped
  client_protocol_error,  // malformed or unexpected data from the client
  handshake_timeout,      // the client did not finish the connection sequence in time
  authentication_failed,  // wrong password or unknown user (indistinguishable on purpose)
  access_denied,          // authenticated, but no grant allows this target/account now
  bad_username,           // the username does not follow USER#TARGET / USER#ACCOUNT@TARGET
  security_refused,       // the client offered only Standard RDP Security
  target_unreachable,     // the onward connection failed (DNS, TCP, TLS, NLA)
  target_auth_failed,     // the target refused the vaulted credentials
  target_certificate,     // the target's certificate does not match the pinned fingerprint
  target_disconnect,      // the target ended the session (logoff, disconnect, crash)
  target_lost,            // the connection to the target broke without a reason
  target_protocol_error,  // malformed data from the target
  killed,                 // an administrator or auditor terminated the session
  gateway_shutdown,       // the gateway is stopping
  gateway_error,          // an internal failure in the gateway
  recording_failed,       // the session cannot be recorded (recording.on_failure = fail_closed)
  worker_crashed,         // set by the supervisor: the worker died without reporting
};

EndSide side_of(SessionEnd end);
// A stable identifier for logs, the database and the control protocol ("target-unreachable").
std::string_view to_string(SessionEnd end);
std::optional<SessionEnd> session_end_from_string(std::string_view text);
// A sentence for the administrator's log.
std::string_view describe(SessionEnd end);
// The RDP error info code (MS-RDPBCGR 2.2.5.1.1) the admin's client shows; 0 for none.
std::uint32_t error_info_for(SessionEnd end);
// True when the session did not end the way a user or administrator intended.
bool is_abnormal(SessionEnd end);

}  // namespace rdpwarden::server::rdp
