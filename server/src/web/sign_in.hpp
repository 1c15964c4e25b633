#pragma once
// The sign-in decision: throttle first (a locked name or address is not even checked, so
// guessing costs the attacker time, not us KDF work), then the password against the stored
// hash, then the role. Every attempt is audited. The caller owns the password buffer and wipes
// it afterwards.

#include <chrono>
#include <string>
#include <string_view>

#include "web/backend.hpp"
#include "web/login_throttle.hpp"
#include "web/web_session_store.hpp"

namespace rdpwarden::server::web {

enum class SignInStatus {
  ok,
  bad_credentials,  // unknown user, wrong password, disabled account: one answer for all
  not_permitted,    // correct password, but the role may not use the console
  throttled,
};

struct SignInResult {
  SignInStatus status = SignInStatus::bad_credentials;
  std::chrono::seconds retry_after{0};  // for throttled
  WebSessionStore::Created session;     // for ok
};

class SignIn {
 public:
  SignIn(Backend& backend, LoginThrottle& throttle, WebSessionStore& sessions)
      : backend_(backend), throttle_(throttle), sessions_(sessions) {}

  // Throws what the Backend throws when the verdict cannot be obtained.
  SignInResult sign_in(std::string_view user, std::string_view password,
                       std::string_view client_address);
  // Ends the session for `token` and audits it (when it existed).
  void sign_out(std::string_view token, std::string_view client_address);

  // Plausible user names: 1..128 bytes, no control characters.
  static bool plausible_user_name(std::string_view user);

 private:
  void audit(std::string_view user, AuditAction action, std::string_view address,
             std::string_view reason);

  Backend& backend_;
  LoginThrottle& throttle_;
  WebSessionStore& sessions_;
};

}  // namespace rdpwarden::server::web
