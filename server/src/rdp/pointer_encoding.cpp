#include "rdp/pointer_encoding.hpp"
#include <algorithm>
#include <cstring>

namespace rdpwarden::server::rdp {

EncodedPointer encode_pointer(const codec::CursorImage& image, int max_size) {
  EncodedPointer out;
  const bool usable = image.width > 0 && image.height > 0 &&
                      image.bgra.size() >= static_cast<std::size_t>(image.width) *
                                               static_cast<std::size_t>(image.height) * 4;
  out.width = usable ? std::min(image.width, max_size) : 1;
  out.height = usable ? std::min(image.height, max_size) : 1;
  out.hotspot_x = usable ? std::clamp(image.hotspot_x, 0, out.width - 1) : 0;
  out.hotspot_y = usable ? std::clamp(image.hotspot_y, 0, out.height - 1) : 0;

  const auto xor_step = static_cast<std::size_t>(out.width) * 4;  // always even
  auto and_step = static_cast<std::size_t>((out.width + 7) / 8);
  and_step += and_step % 2;
  out.xor_mask.assign(xor_step * static_cast<std::size_t>(out.height), 0);
  // The AND mask stays zero: with 32 bpp, transparency comes from the alpha channel.
  out.and_mask.assign(and_step * static_cast<std::size_t>(out.height), 0);
  if (!usable) return out;
  const auto src_step = static_cast<std::size_t>(image.width) * 4;
  for (int y = 0; y < out.height; ++y) {
    const auto dst_row = static_cast<std::size_t>(out.height - 1 - y);
    std::memcpy(out.xor_mask.data() + dst_row * xor_step,
                image.bgra.data() + static_cast<std::size_t>(y) * src_step, xor_step);
  }
  return out;
}

}  // namespace rdpwarden::server::rdp
