#include "crypto/sha256.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <rdpwarden/storage/errors.hpp>

#include "crypto/openssl_handles.hpp"

namespace rdpwarden::storage::crypto {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw KeyError("SHA-256 failed: " + last_openssl_error());
  std::string hex;
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace rdpwarden::storage::crypto
