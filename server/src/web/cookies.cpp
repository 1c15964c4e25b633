#include "web/cookies.hpp"

#include <fmt/format.h>

namespace rdpwarden::server::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

constexpr std::string_view kAttributes = "; Path=/; Secure; HttpOnly; SameSite=Strict";

}  // namespace

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    auto pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) != name) continue;
    auto value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

std::string session_cookie(std::string_view token, std::chrono::seconds max_age) {
  return fmt::format("{}={}{}; Max-Age={}", kSessionCookie, token, kAttributes, max_age.count());
}

std::string clear_session_cookie() {
  return fmt::format("{}={}; Max-Age=0", kSessionCookie, kAttributes);
}

}  // namespace rdpwarden::server::web
