#include "crypto/utf16.hpp"
#include <cstdint>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage::crypto {
namespace {

// Decodes one code point at text[i], advancing i; -1 when malformed.
long decode_one(std::string_view text, std::size_t& i) {
  auto lead = static_cast<unsigned char>(text[i]);
  int extra = lead < 0x80             ? 0
              : (lead & 0xE0) == 0xC0 ? 1
              : (lead & 0xF0) == 0xE0 ? 2
              : (lead & 0xF8) == 0xF0 ? 3
                                      : -1;
  if (extra < 0 || text.size() - i <= static_cast<std::size_t>(extra)) return -1;
  long cp = extra == 0 ? lead : lead & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    auto c = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr long kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

}  // namespace

SecretBytes utf8_to_utf16le(std::string_view text) {
  // At most two UTF-16 bytes per UTF-8 byte (a 4-byte sequence becomes 4 bytes).
  auto out = SecretBytes::zeroed(text.size() * 2);
  auto buf = out.data();
  std::size_t n = 0;
  auto put = [&](std::uint32_t unit) {
    buf[n++] = static_cast<std::byte>(unit & 0xFF);
    buf[n++] = static_cast<std::byte>(unit >> 8);
  };
  for (std::size_t i = 0; i < text.size();) {
    long cp = decode_one(text, i);
    if (cp < 0) throw InvalidInput("the password is not valid UTF-8");
    if (cp >= 0x10000) {
      auto v = static_cast<std::uint32_t>(cp - 0x10000);
      put(0xD800 | (v >> 10));
      put(0xDC00 | (v & 0x3FF));
    } else {
      put(static_cast<std::uint32_t>(cp));
    }
  }
  return SecretBytes(std::span<const std::byte>(buf.data(), n));
}

}  // namespace rdpwarden::storage::crypto
