#include "rdp/user_pointer.hpp"
#include <algorithm>
#include <functional>
#include <string_view>

#include <freerdp/pointer.h>
#include <freerdp/update.h>

#include "rdp/pointer_encoding.hpp"

namespace rdpwarden::server::rdp {
namespace {

// MS-RDPBCGR 2.2.7.2.7: the client renders pointers up to 96x96 (not in 2.11's public headers).
constexpr std::uint32_t kLargePointer96 = 0x1;

std::size_t hash_of(const codec::CursorImage& image) {
  std::string_view bytes(reinterpret_cast<const char*>(image.bgra.data()), image.bgra.size());
  std::size_t h = std::hash<std::string_view>{}(bytes);
  h ^= std::hash<int>{}(image.width * 131 + image.height * 7 + image.hotspot_x * 3 +
                        image.hotspot_y);
  return h;
}

}  // namespace

bool UserPointer::send(const PointerMailbox::Pointer& pointer) {
  rdpPointerUpdate* update = peer_->update->pointer;
  switch (pointer.kind) {
    case PointerMailbox::Kind::hidden: {
      POINTER_SYSTEM_UPDATE system{};
      system.type = SYSPTR_NULL;
      return update->PointerSystem(peer_->context, &system) == TRUE;
    }
    case PointerMailbox::Kind::system_default: {
      POINTER_SYSTEM_UPDATE system{};
      system.type = SYSPTR_DEFAULT;
      return update->PointerSystem(peer_->context, &system) == TRUE;
    }
    case PointerMailbox::Kind::shape:
      return pointer.image ? send_shape(*pointer.image) : true;
  }
  return true;
}

bool UserPointer::send_shape(const codec::CursorImage& image) {
  rdpPointerUpdate* update = peer_->update->pointer;
  const std::size_t hash = hash_of(image);
  auto hit =
      std::find_if(cache_.begin(), cache_.end(), [&](const Entry& e) { return e.hash == hash; });
  if (hit != cache_.end()) {
    Entry entry = *hit;
    cache_.erase(hit);
    cache_.push_back(entry);
    POINTER_CACHED_UPDATE cached{};
    cached.cacheIndex = entry.index;
    return update->PointerCached(peer_->context, &cached) == TRUE;
  }

  const auto cache_size = std::clamp<std::uint32_t>(
      freerdp_settings_get_uint32(peer_->settings, FreeRDP_PointerCacheSize), 1, 25);
  std::uint32_t index = 0;
  if (cache_.size() < cache_size) {
    index = static_cast<std::uint32_t>(cache_.size());
  } else {
    index = cache_.front().index;
    cache_.erase(cache_.begin());
  }
  cache_.push_back({hash, index});

  const bool large = (freerdp_settings_get_uint32(peer_->settings, FreeRDP_LargePointerFlag) &
                      kLargePointer96) != 0;
  auto encoded = encode_pointer(image, large ? 96 : 32);
  POINTER_NEW_UPDATE pointer{};
  pointer.xorBpp = 32;
  auto& color = pointer.colorPtrAttr;
  color.cacheIndex = index;
  color.xPos = static_cast<UINT32>(encoded.hotspot_x);
  color.yPos = static_cast<UINT32>(encoded.hotspot_y);
  color.width = static_cast<UINT32>(encoded.width);
  color.height = static_cast<UINT32>(encoded.height);
  color.lengthXorMask = static_cast<UINT32>(encoded.xor_mask.size());
  color.lengthAndMask = static_cast<UINT32>(encoded.and_mask.size());
  color.xorMaskData = encoded.xor_mask.data();
  color.andMaskData = encoded.and_mask.data();
  return update->PointerNew(peer_->context, &pointer) == TRUE;
}

}  // namespace rdpwarden::server::rdp
