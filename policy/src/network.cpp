#include <arpa/inet.h>
#include <charconv>
#include <cstring>

#include <rdpwarden/policy/network.hpp>

namespace rdpwarden::policy {
namespace {
bool is_v4_mapped(const IpAddress& a) {
  for (int i = 0; i < 10; ++i) {
    if (a.bytes[i] != 0) return false;
  }
  return a.bytes[10] == 0xff && a.bytes[11] == 0xff;
}
}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  IpAddress out;
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out.bytes[10] = 0xff;
    out.bytes[11] = 0xff;
    std::memcpy(out.bytes.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.bytes.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (is_v4_mapped(*this)) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<Network> parse_network(std::string_view text) {
  auto slash = text.find('/');
  auto addr = parse_ip(text.substr(0, slash));
  if (!addr) return std::nullopt;
  bool v4 = is_v4_mapped(*addr);
  int prefix = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
      return std::nullopt;
    if (prefix < 0 || prefix > (v4 ? 32 : 128)) return std::nullopt;
  }
  Network n{*addr, v4 ? prefix + 96 : prefix};
  // Normalise the base: host bits cleared, so "10.1.2.3/16" means 10.1.0.0/16.
  for (int bit = n.prefix; bit < 128; ++bit) {
    n.base.bytes[bit / 8] = static_cast<std::uint8_t>(n.base.bytes[bit / 8] & ~(0x80 >> (bit % 8)));
  }
  return n;
}

std::string Network::to_string() const {
  bool v4 = is_v4_mapped(base) && prefix >= 96;
  return base.to_string() + "/" + std::to_string(v4 ? prefix - 96 : prefix);
}

bool contains(const Network& network, const IpAddress& address) {
  for (int bit = 0; bit < network.prefix; ++bit) {
    int mask = 0x80 >> (bit % 8);
    if ((network.base.bytes[bit / 8] & mask) != (address.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace rdpwarden::policy
