#include <rdpwarden/policy/target_request.hpp>

namespace rdpwarden::policy {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool is_valid_login(std::string_view login) {
  if (login.empty() || login.size() > kMaxLoginLength) return false;
  for (char c : login) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '#' || c == '@' || c == '\\' || c == '/' || c == ':' ||
        c == '"')
      return false;
  }
  return true;
}

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  if (name.front() == '.' || name.front() == '-' || name.front() == '_') return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

std::optional<TargetRequest> parse_target_request(std::string_view domain, std::string_view user) {
  if (domain.size() + user.size() > 2 * kMaxLoginLength) return std::nullopt;
  std::string full =
      domain.empty() ? std::string(user) : std::string(domain) + "\\" + std::string(user);

  auto hash = full.find('#');
  if (hash == std::string::npos) return std::nullopt;
  TargetRequest req;
  req.user = full.substr(0, hash);
  std::string rest = full.substr(hash + 1);
  if (!is_valid_name(req.user)) return std::nullopt;

  auto at = rest.rfind('@');
  if (at == std::string::npos) {
    req.target = rest;
  } else {
    req.target = rest.substr(at + 1);
    std::string account = rest.substr(0, at);
    auto backslash = account.find('\\');
    if (backslash != std::string::npos) {
      req.account_domain = account.substr(0, backslash);
      account = account.substr(backslash + 1);
      if (!is_valid_login(req.account_domain)) return std::nullopt;
    }
    // An account login may itself be a UPN ("admin@corp.example"); the last '@' names the target.
    auto upn_at = account.find('@');
    bool ok = upn_at == std::string::npos ? is_valid_login(account)
                                          : is_valid_login(account.substr(0, upn_at)) &&
                                                is_valid_login(account.substr(upn_at + 1));
    if (!ok) return std::nullopt;
    req.account = account;
  }
  if (!is_valid_name(req.target)) return std::nullopt;
  return req;
}

}  // namespace rdpwarden::policy
