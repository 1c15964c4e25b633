#include "rdp/front_auth.hpp"

#include <openssl/rand.h>

namespace rdpwarden::server::rdp {

bool FrontAuthenticator::plausible(const Login& login) {
  return !login.user.empty() && login.user.size() <= kMaxNameBytes &&
         login.domain.size() <= kMaxNameBytes;
}

std::optional<NtlmKey> FrontAuthenticator::ntlm_key(const Login& login) {
  attempted_ = true;
  if (++key_requests_ > kMaxKeyRequests) return std::nullopt;
  if (!plausible(login)) {
    // Still answer: a refused name must cost the same round trip as an unknown one.
    NtlmKey random{};
    RAND_bytes(random.data(), static_cast<int>(random.size()));
    return random;
  }
  return broker_.ntlm_key(login);
}

void FrontAuthenticator::nla_succeeded(const Login& login) {
  authenticated_ = plausible(login);
  login_ = login;
}

bool FrontAuthenticator::check_password(const Login& login, const Secret& password) {
  attempted_ = true;
  if (!plausible(login) || password.empty() || authenticated_) return authenticated_;
  authenticated_ = broker_.verify_password(login, password);
  if (authenticated_) login_ = login;
  return authenticated_;
}

const Authorization& FrontAuthenticator::authorize() {
  if (!authorization_) {
    if (!authenticated_) {
      authorization_ = Authorization{};
      authorization_->denial = SessionEnd::authentication_failed;
    } else {
      authorization_ = broker_.authorize(login_);
    }
  }
  return *authorization_;
}

TargetGrant FrontAuthenticator::take_grant() {
  if (!authorized()) return {};
  return std::move(authorization_->grant);
}

}  // namespace rdpwarden::server::rdp
