#pragma once
// What a session worker asks of the supervisor: NTLM keys, authorization, the credentials to
// inject. The worker holds no database connection and no master key; it asks, per session, for
// just what that session needs. The real implementation talks over the control channel
// (ControlLink); tests use a fake.
//
// Threads: called from the front's peer thread during the connection sequence, and from the back
// client's thread (target_fingerprint). Every call may block for at most its timeout.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rdp/secret.hpp"
#include "rdp/session_end.hpp"

namespace rdpwarden::server::rdp {

using NtlmKey = std::array<std::uint8_t, 16>;

// The login as the client typed it (mstsc splits "A\B" into domain A and user B).
struct Login {
  std::string user;
  std::string domain;
};

// What the admin is allowed to reach, and how to reach it.
struct TargetGrant {
  std::string user;            // the gateway user
  std::string target;          // the target's name
  std::string account_login;   // the account on the target
  std::string account_domain;  // may be empty
  std::string host;
  std::uint16_t port = 3389;
  Secret password;                 // the account's password, from the vault
  std::string pinned_fingerprint;  // SHA-256 of the target certificate; empty: not pinned yet
};

struct Authorization {
  std::optional<SessionEnd> denial;  // set when the session must not proceed
  std::string detail;                // the policy's reason, for the log
  TargetGrant grant;                 // valid when !denial
};

class Broker {
 public:
  virtual ~Broker() = default;
  // NTOWFv2 for this login, from the user's stored NT hash; a random key when the user is
  // unknown, so a guess fails exactly like a wrong password. nullopt: the supervisor is gone.
  virtual std::optional<NtlmKey> ntlm_key(const Login& login) = 0;
  // TLS-only mode: is this the user's password? (Checked against the stored NT hash.)
  virtual bool verify_password(const Login& login, const Secret& password) = 0;
  // May this (authenticated) login reach the target it names, from the client's address?
  virtual Authorization authorize(const Login& login) = 0;
  // The target presented this certificate fingerprint and none was pinned: remember it.
  virtual void target_fingerprint(std::string_view fingerprint) = 0;
};

}  // namespace rdpwarden::server::rdp
