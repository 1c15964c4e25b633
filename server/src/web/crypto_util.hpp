#pragma once
// The few cryptographic primitives the console needs, from OpenSSL.

#include <cstddef>
#include <string>
#include <string_view>

namespace rdpwarden::server::web {

// `bytes` of CSPRNG output as unpadded base64url. Throws std::runtime_error if the RNG fails.
std::string random_token(std::size_t bytes = 32);
// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);
// Compares without leaking where the inputs differ (lengths may leak).
bool constant_time_equal(std::string_view a, std::string_view b);
// Overwrites the string's bytes (also its spare capacity) before it is released.
void wipe(std::string& secret);

}  // namespace rdpwarden::server::web
