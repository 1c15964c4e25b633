#pragma once
// The console's session cookie: parsing the Cookie header and building Set-Cookie. The cookie
// is `__Host-` prefixed (the browser then insists on Secure, Path=/ and no Domain), HttpOnly
// (no script can read it) and SameSite=Strict (never sent on cross-site requests).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rdpwarden::server::web {

inline constexpr std::string_view kSessionCookie = "__Host-rdpw_session";

// The value of cookie `name` in a Cookie header ("a=1; b=2"); nullopt when absent. When the
// name occurs more than once the first wins (the browser sends the most specific first).
std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name);

// Set-Cookie for a new session; Max-Age bounds it by the absolute expiry.
std::string session_cookie(std::string_view token, std::chrono::seconds max_age);
// Set-Cookie that deletes the session cookie (sign-out, expired session).
std::string clear_session_cookie();

}  // namespace rdpwarden::server::web
