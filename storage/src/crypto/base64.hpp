#pragma once
// Standard base64 (RFC 4648) through OpenSSL's EVP block coder, with or without padding.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rdpwarden::storage::crypto {

std::string base64_encode(std::span<const std::byte> data, bool pad = true);
// Accepts padded or unpadded input; nullopt for anything that is not base64.
std::optional<std::vector<std::byte>> base64_decode(std::string_view text);

}  // namespace rdpwarden::storage::crypto
