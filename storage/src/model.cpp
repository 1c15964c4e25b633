#include <arpa/inet.h>
#include <array>
#include <cctype>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage {
namespace {

template <typename E, std::size_t N>
std::optional<E> parse_enum(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 3> kRoles{"admin", "auditor", "user"};
constexpr std::array<std::string_view, 3> kOrigins{"none", "pinned", "first_seen"};
constexpr std::array<std::string_view, 5> kStates{"live", "ended", "failed", "terminated",
                                                  "interrupted"};

bool is_dns_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  for (char c : label)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

}  // namespace

std::string_view to_string(Role role) {
  return kRoles.at(static_cast<std::size_t>(role));
}
std::optional<Role> parse_role(std::string_view text) {
  return parse_enum<Role>(kRoles, text);
}

std::string_view to_string(FingerprintOrigin origin) {
  return kOrigins.at(static_cast<std::size_t>(origin));
}

std::string_view to_string(SessionState state) {
  return kStates.at(static_cast<std::size_t>(state));
}
std::optional<SessionState> parse_session_state(std::string_view text) {
  return parse_enum<SessionState>(kStates, text);
}

std::optional<std::string> normalize_fingerprint(std::string_view text) {
  if (text.size() > 7 && (text.substr(0, 7) == "sha256:" || text.substr(0, 7) == "SHA256:"))
    text.remove_prefix(7);
  std::string hex;
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 64) return std::nullopt;
  return hex;
}

bool is_valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::string text(host);
  unsigned char buf[16];
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return true;
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return true;
  // A name: dot-separated labels; an all-numeric last label would be a malformed address.
  bool last_numeric = true;
  std::size_t start = 0;
  while (true) {
    auto dot = host.find('.', start);
    auto label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!is_dns_label(label)) return false;
    last_numeric = label.find_first_not_of("0123456789") == std::string_view::npos;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return !last_numeric;
}

}  // namespace rdpwarden::storage
