#include "validation.hpp"
#include <cctype>

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage {
namespace {

// The characters the username grammar (policy/target_request) reserves or refuses.
bool plain_login_text(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '#' || c == '@' || c == '\\' || c == '/' || c == ':' ||
        c == '"')
      return false;
  }
  return true;
}

}  // namespace

void require_name(std::string_view kind, std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  if (!ok)
    throw InvalidInput(fmt::format(
        "invalid {} name '{}': use 1 to 64 letters, digits, '.', '_' or '-', starting with a "
        "letter or digit",
        kind, name.size() > 80 ? std::string(name.substr(0, 80)) + "…" : std::string(name)));
}

void require_login(std::string_view login) {
  // A UPN ("admin@corp.example") is fine: the gateway splits the target off at the last '@'.
  auto at = login.find('@');
  bool ok = login.size() <= 256 &&
            (at == std::string_view::npos
                 ? !login.empty() && plain_login_text(login)
                 : at > 0 && at + 1 < login.size() && plain_login_text(login.substr(0, at)) &&
                       plain_login_text(login.substr(at + 1)));
  if (!ok)
    throw InvalidInput(
        "invalid account login: use 1 to 256 printable characters without # \\ / : \" (one @ "
        "for a UPN)");
}

void require_domain(std::string_view domain) {
  if (domain.size() > 256 || !plain_login_text(domain))
    throw InvalidInput(
        "invalid account domain: use up to 256 printable characters without # @ \\ / : \"");
}

void require_password(std::string_view password) {
  if (password.empty()) throw InvalidInput("the password is empty");
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::string account_label(std::string_view login, std::string_view domain) {
  return domain.empty() ? std::string(login) : fmt::format("{}\\{}", domain, login);
}

}  // namespace rdpwarden::storage
