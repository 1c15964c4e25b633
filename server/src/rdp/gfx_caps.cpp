#include "rdp/gfx_caps.hpp"
#include <array>

namespace rdpwarden::server::rdp {
namespace {

// MS-RDPEGFX 2.2.3: capability set versions, lowest to highest preference.
constexpr std::uint32_t kV8 = 0x00080004;
constexpr std::uint32_t kV81 = 0x00080105;
constexpr std::uint32_t kV10 = 0x000A0002;
constexpr std::array<std::uint32_t, 11> kPreference{
    kV8,        kV81,       kV10,       0x000A0100, 0x000A0200, 0x000A0301,
    0x000A0400, 0x000A0502, 0x000A0601, 0x000A0600, 0x000A0701,
};
constexpr std::uint32_t kFlagAvc420Enabled = 0x10;
constexpr std::uint32_t kFlagAvcDisabled = 0x20;

int rank(std::uint32_t version) {
  for (std::size_t i = 0; i < kPreference.size(); ++i) {
    if (kPreference[i] == version) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::optional<GfxCapsChoice> choose_gfx_caps(std::span<const GfxCapsOffer> offers) {
  const GfxCapsOffer* best = nullptr;
  for (const auto& offer : offers) {
    if (rank(offer.version) < 0) continue;
    if (!best || rank(offer.version) > rank(best->version)) best = &offer;
  }
  if (!best) return std::nullopt;
  GfxCapsChoice choice;
  choice.confirm = *best;
  if (best->version == kV81)
    choice.avc420 = (best->flags & kFlagAvc420Enabled) != 0;
  else if (best->version >= kV10)
    choice.avc420 = (best->flags & kFlagAvcDisabled) == 0;
  return choice;
}

}  // namespace rdpwarden::server::rdp
