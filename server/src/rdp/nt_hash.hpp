#pragma once
// The NT hash of a password (MD4 of its UTF-16LE form), what NTLM and therefore NLA rest on.
// It is password-equivalent: keep it sealed and wipe it after use.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rdpwarden::server::rdp {

using NtHashBytes = std::array<std::uint8_t, 16>;

// nullopt when the password is not valid UTF-8.
std::optional<NtHashBytes> nt_hash_of(std::string_view password_utf8);

}  // namespace rdpwarden::server::rdp
