#pragma once
// UTF-16 (as RDP and NTLM carry names) to and from UTF-8, strictly: malformed input is refused
// rather than repaired, because it comes from the network.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rdpwarden::server::rdp {

std::optional<std::string> utf16_to_utf8(std::span<const char16_t> text);
std::optional<std::u16string> utf8_to_utf16(std::string_view text);

}  // namespace rdpwarden::server::rdp
