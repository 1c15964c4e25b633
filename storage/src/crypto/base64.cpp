#include "crypto/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace rdpwarden::storage::crypto {

std::string base64_encode(std::span<const std::byte> data, bool pad) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  if (!pad) {
    while (!out.empty() && out.back() == '=')
      out.pop_back();
  }
  return out;
}

std::optional<std::vector<std::byte>> base64_decode(std::string_view text) {
  std::string padded(text);
  while (padded.size() % 4)
    padded += '=';
  std::size_t padding = 0;
  for (auto it = padded.rbegin(); it != padded.rend() && *it == '='; ++it)
    ++padding;
  if (padding > 2) return std::nullopt;
  for (std::size_t i = 0; i < padded.size() - padding; ++i) {
    char c = padded[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (!ok) return std::nullopt;
  }
  std::vector<std::byte> out(padded.size() / 4 * 3);
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(padded.data()),
                          static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - padding);  // EVP_DecodeBlock counts padding as zeros
  return out;
}

}  // namespace rdpwarden::storage::crypto
