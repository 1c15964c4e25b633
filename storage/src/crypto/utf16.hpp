#pragma once
// Strict UTF-8 → UTF-16LE for the NT hash (which hashes the password as Windows stores it).

#include <string_view>

#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::storage::crypto {

// Throws InvalidInput on malformed UTF-8 (overlong forms, surrogates, beyond U+10FFFF).
SecretBytes utf8_to_utf16le(std::string_view text);

}  // namespace rdpwarden::storage::crypto
