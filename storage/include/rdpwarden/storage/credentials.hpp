#pragma once
// What a user's one password becomes: the NT hash NLA needs (sealed before it is stored) and the
// web console's password hash (scrypt, self-describing, verified in constant time).

#include <string>
#include <string_view>

#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::storage {

// MD4(UTF-16LE(password)), 16 bytes. Throws InvalidInput when `password` is not valid UTF-8.
// MD4 comes from OpenSSL's legacy provider, loaded into a private library context so the
// process default (used for TLS) never offers legacy algorithms.
SecretBytes nt_hash(std::string_view password);

// scrypt in the PHC-like form "$scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>".
std::string hash_web_password(std::string_view password);

// Verifies `password` against a stored hash in constant time. A malformed stored hash is false.
bool verify_web_password(std::string_view stored_hash, std::string_view password);

// Spends the same time as one verification, for unknown users (no user enumeration by timing).
void burn_web_password_verification(std::string_view password);

}  // namespace rdpwarden::storage
