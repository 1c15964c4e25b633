#include "web/cookies.hpp"

#include <fmt/format.h>

#include "web/http_text.hpp"

namespace rdpwarden::server::web {
namespace {

constexpr std::string_view kAttributes = "; Path=/; Secure; HttpOnly; SameSite=Strict";

}  // namespace

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    auto pair = trim_ows(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim_ows(pair.substr(0, eq)) != name) continue;
    auto value = trim_ows(pair.substr(eq + 1));
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
