#pragma once
// Who the admin is and what they may reach, decided before anything touches the target.
//
// NLA (the default): CredSSP/NTLM proves the password; the NTLM key comes from the supervisor.
// TLS-only (a config option): the Client Info PDU carries the password, checked by the
// supervisor against the same stored NT hash. Either way: unknown users and wrong passwords
// fail identically, and authorization happens once, after authentication.
//
// Threads: the front's peer thread only.

#include <optional>

#include <rdpwarden/server/config.hpp>

#include "rdp/broker.hpp"

namespace rdpwarden::server::rdp {

class FrontAuthenticator {
 public:
  // A client may retry NLA on the same connection; more attempts than this are refused.
  static constexpr int kMaxKeyRequests = 4;
  // Names longer than this are refused before asking anyone (NTLM allows 32 KiB).
  static constexpr std::size_t kMaxNameBytes = 512;

  FrontAuthenticator(Broker& broker, RdpSecurity mode) : broker_(broker), mode_(mode) {}

  RdpSecurity mode() const { return mode_; }
  // NLA: the key for this identity; nullopt fails the authentication (as a wrong password).
  std::optional<NtlmKey> ntlm_key(const Login& login);
  // NLA finished: the identity proved it knows the password.
  void nla_succeeded(const Login& login);
  // TLS-only: checks the Client Info credentials.
  bool check_password(const Login& login, const Secret& password);

  bool attempted() const { return attempted_; }
  bool authenticated() const { return authenticated_; }
  const Login& login() const { return login_; }

  // Asks the supervisor once (after authentication) and remembers the answer.
  const Authorization& authorize();
  bool authorized() const { return authorization_ && !authorization_->denial; }
  // Hands the grant (with the vaulted password) to whoever connects to the target.
  TargetGrant take_grant();

 private:
  static bool plausible(const Login& login);

  Broker& broker_;
  RdpSecurity mode_;
  int key_requests_ = 0;
  bool attempted_ = false;
  bool authenticated_ = false;
  Login login_;
  std::optional<Authorization> authorization_;
};

}  // namespace rdpwarden::server::rdp
