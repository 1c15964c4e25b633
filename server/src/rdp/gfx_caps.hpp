#pragma once
// Choosing the graphics pipeline capability set to confirm from what the admin's client offers.

#include <cstdint>
#include <optional>
#include <span>

namespace rdpwarden::server::rdp {

struct GfxCapsOffer {
  std::uint32_t version = 0;
  std::uint32_t flags = 0;
};

struct GfxCapsChoice {
  GfxCapsOffer confirm;  // what to send back in CapsConfirm
  bool avc420 = false;   // whether AVC420 surface commands are allowed
};

// The highest version we know (8.0 .. 10.7) among the offers; AVC420 when the chosen set allows
// it (8.1 with AVC420_ENABLED, 10.x without AVC_DISABLED). nullopt: nothing we can speak.
std::optional<GfxCapsChoice> choose_gfx_caps(std::span<const GfxCapsOffer> offers);

}  // namespace rdpwarden::server::rdp
