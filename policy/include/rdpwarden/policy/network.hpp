#pragma once
// IP addresses and networks for source-network rules. Pure parsing, no name resolution.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rdpwarden::policy {

struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 is stored as an IPv4-mapped IPv6 address
  bool operator==(const IpAddress&) const = default;
  std::string to_string() const;
};

struct Network {
  IpAddress base;
  int prefix = 128;  // in IPv6 terms; an IPv4 /24 is stored as /120
  std::string to_string() const;
};

std::optional<IpAddress> parse_ip(std::string_view text);
// "10.1.0.0/16", "2001:db8::/32", or a bare address (a single host).
std::optional<Network> parse_network(std::string_view text);
bool contains(const Network& network, const IpAddress& address);

}  // namespace rdpwarden::policy
