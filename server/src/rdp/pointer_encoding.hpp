#pragma once
// A pointer shape in the wire format of a 32-bpp Color/New Pointer Update (MS-RDPBCGR
// 2.2.9.1.1.4.4): the XOR mask is BGRA with straight alpha, the AND mask 1 bpp, both bottom-up,
// each scan line padded to an even number of bytes.

#include <cstdint>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::server::rdp {

struct EncodedPointer {
  int width = 0;
  int height = 0;
  int hotspot_x = 0;
  int hotspot_y = 0;
  std::vector<std::uint8_t> xor_mask;
  std::vector<std::uint8_t> and_mask;
};

// Crops to max_size x max_size (the client's limit) keeping the top-left corner, and clamps
// the hotspot inside the result. An empty image gives a 1x1 transparent pointer.
EncodedPointer encode_pointer(const codec::CursorImage& image, int max_size);

}  // namespace rdpwarden::server::rdp
