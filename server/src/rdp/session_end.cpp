#include "rdp/session_end.hpp"
#include <array>

namespace rdpwarden::server::rdp {
namespace {

struct EndInfo {
  SessionEnd end;
  std::string_view id;
  EndSide side;
  std::uint32_t error_info;
  bool abnormal;
  std::string_view text;
};

// Error info codes from MS-RDPBCGR 2.2.5.1.1; the connection-broker codes (0x4xx) are what a
// gateway in front of a server is meant to use for "the destination failed".
constexpr std::uint32_t kRpcInitiatedDisconnect = 0x1;
constexpr std::uint32_t kLogonTimeout = 0x4;
constexpr std::uint32_t kServerDeniedConnection = 0x7;
constexpr std::uint32_t kInsufficientPrivileges = 0x9;
constexpr std::uint32_t kDestinationNotFound = 0x400;
constexpr std::uint32_t kConnectionCancelled = 0x409;
constexpr std::uint32_t kInvalidSettings = 0x410;

constexpr std::array kEnds{
    EndInfo{SessionEnd::client_disconnect, "client-disconnect", EndSide::user, 0, false,
            "the client disconnected"},
    EndInfo{SessionEnd::client_protocol_error, "client-protocol-error", EndSide::user, 0, true,
            "the client sent malformed or unexpected data"},
    EndInfo{SessionEnd::handshake_timeout, "handshake-timeout", EndSide::user, kLogonTimeout, true,
            "the client did not finish the connection sequence in time"},
    EndInfo{SessionEnd::authentication_failed, "authentication-failed", EndSide::user, 0, false,
            "authentication failed"},
    EndInfo{SessionEnd::access_denied, "access-denied", EndSide::gateway, kInsufficientPrivileges,
            false, "access denied by policy"},
    EndInfo{SessionEnd::bad_username, "bad-username", EndSide::user, kInsufficientPrivileges, false,
            "the username does not name a target (USER#TARGET)"},
    EndInfo{SessionEnd::security_refused, "security-refused", EndSide::user,
            kServerDeniedConnection, false, "the client offered no acceptable security protocol"},
    EndInfo{SessionEnd::target_unreachable, "target-unreachable", EndSide::target,
            kDestinationNotFound, true, "the target could not be reached"},
    EndInfo{SessionEnd::target_auth_failed, "target-auth-failed", EndSide::target, kInvalidSettings,
            true, "the target refused the vaulted credentials"},
    EndInfo{SessionEnd::target_certificate, "target-certificate", EndSide::target, kInvalidSettings,
            true, "the target's certificate does not match the pinned one"},
    EndInfo{SessionEnd::target_disconnect, "target-disconnect", EndSide::target,
            kRpcInitiatedDisconnect, false, "the target ended the session"},
    EndInfo{SessionEnd::target_lost, "target-lost", EndSide::target, kConnectionCancelled, true,
            "the connection to the target was lost"},
    EndInfo{SessionEnd::target_protocol_error, "target-protocol-error", EndSide::target,
            kConnectionCancelled, true, "the target sent malformed or unexpected data"},
    EndInfo{SessionEnd::killed, "killed", EndSide::administrator, kRpcInitiatedDisconnect, false,
            "terminated by an administrator"},
    EndInfo{SessionEnd::gateway_shutdown, "gateway-shutdown", EndSide::gateway,
            kRpcInitiatedDisconnect, false, "the gateway is shutting down"},
    EndInfo{SessionEnd::gateway_error, "gateway-error", EndSide::gateway, kConnectionCancelled,
            true, "an internal gateway error"},
    EndInfo{SessionEnd::recording_failed, "recording-failed", EndSide::gateway,
            kConnectionCancelled, true, "the session cannot be recorded"},
    EndInfo{SessionEnd::worker_crashed, "worker-crashed", EndSide::gateway, 0, true,
            "the session worker died"},
};

const EndInfo& info(SessionEnd end) {
  for (const auto& e : kEnds) {
    if (e.end == end) return e;
  }
  return kEnds.back();
}

}  // namespace

EndSide side_of(SessionEnd end) {
  return info(end).side;
}
std::string_view to_string(SessionEnd end) {
  return info(end).id;
}
std::string_view describe(SessionEnd end) {
  return info(end).text;
}
std::uint32_t error_info_for(SessionEnd end) {
  return info(end).error_info;
}
bool is_abnormal(SessionEnd end) {
  return info(end).abnormal;
}

std::optional<SessionEnd> session_end_from_string(std::string_view text) {
  for (const auto& e : kEnds) {
    if (e.id == text) return e.end;
  }
  return std::nullopt;
}

}  // namespace rdpwarden::server::rdp
