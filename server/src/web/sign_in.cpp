#include "web/sign_in.hpp"

#include <nlohmann/json.hpp>

#include "util/log.hpp"

namespace rdpwarden::server::web {

bool SignIn::plausible_user_name(std::string_view user) {
  if (user.empty() || user.size() > 128) return false;
  for (unsigned char c : user) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

void SignIn::audit(std::string_view user, AuditAction action, std::string_view address,
                   std::string_view reason) {
  AuditEntry entry;
  entry.actor = std::string(user);
  entry.action = action;
  entry.client_address = std::string(address);
  if (!reason.empty()) entry.details_json = nlohmann::json{{"reason", reason}}.dump();
  backend_.append_audit(entry);
}

SignInResult SignIn::sign_in(std::string_view user, std::string_view password,
                             std::string_view client_address) {
  SignInResult result;
  if (!plausible_user_name(user) || password.empty() || password.size() > 1024) {
    throttle_.record_failure(user, client_address);
    return result;  // bad_credentials; nothing worth auditing under a name that cannot exist
  }
  if (auto wait = throttle_.retry_after(user, client_address); wait.count() > 0) {
    audit(user, AuditAction::login_fail, client_address, "throttled");
    result.status = SignInStatus::throttled;
    result.retry_after = wait;
    return result;
  }
  auto check = backend_.check_password(user, password);
  if (check.verdict != PasswordVerdict::ok) {
    throttle_.record_failure(user, client_address);
    audit(user, AuditAction::login_fail, client_address,
          check.verdict == PasswordVerdict::disabled ? "disabled" : "bad credentials");
    log::info("web: failed sign-in for '{}' from {}", user, client_address);
    return result;
  }
  throttle_.record_success(user);
  if (!may_use_console(check.principal.role)) {
    audit(check.principal.name, AuditAction::login_fail, client_address, "role not permitted");
    log::info("web: '{}' ({}) may not use the console", check.principal.name,
              to_string(check.principal.role));
    result.status = SignInStatus::not_permitted;
    return result;
  }
  result.session = sessions_.create(check.principal, client_address);
  result.status = SignInStatus::ok;
  audit(check.principal.name, AuditAction::login_ok, client_address, "");
  log::info("web: {} '{}' signed in from {}", to_string(check.principal.role), check.principal.name,
            client_address);
  return result;
}

void SignIn::sign_out(std::string_view token, std::string_view client_address) {
  auto session = sessions_.touch(token);
  sessions_.remove(token);
  if (session) audit(session->user, AuditAction::logout, client_address, "");
}

}  // namespace rdpwarden::server::web
