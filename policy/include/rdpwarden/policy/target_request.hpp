#pragma once
// The username grammar: how an admin names the target (and optionally the account) in the
// RDP username field.
//
//   USER#TARGET                 the account USER's grant names, or TARGET's only account
//   USER#ACCOUNT@TARGET         a named account on TARGET
//   USER#DOMAIN\ACCOUNT@TARGET  a named domain account
//
// Clients split "A\B" into Domain=A and User=B before sending, so the parser rebuilds the
// string as typed ("Domain\User") before applying the grammar.

#include <optional>
#include <string>
#include <string_view>

namespace rdpwarden::policy {

struct TargetRequest {
  std::string user;            // the gateway user, e.g. "ops1"
  std::string target;          // the target's name, e.g. "srv01"
  std::string account;         // empty: let the grant decide
  std::string account_domain;  // empty unless "DOMAIN\account" was given
};

inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::size_t kMaxLoginLength = 256;

// A gateway user or target name: 1..64 of [A-Za-z0-9._-], starting with a letter or digit.
bool is_valid_name(std::string_view name);

// Rebuilds "Domain\User" as typed and parses it; nullopt when it does not follow the grammar.
std::optional<TargetRequest> parse_target_request(std::string_view domain, std::string_view user);

}  // namespace rdpwarden::policy
