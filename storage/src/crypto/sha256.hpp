#pragma once

#include <string>
#include <string_view>

namespace rdpwarden::storage::crypto {

// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace rdpwarden::storage::crypto
