#pragma once
// The fallback every RDP client renders: bitmap updates in 64x64 tiles, planar-compressed at
// 32 bits per pixel or interleaved (RLE) at 15/16/24, split to respect the client's maximum
// fast-path update size.

#include <cstdint>
#include <vector>

#include <freerdp/peer.h>

#include "rdp/freerdp_handles.hpp"
#include "rdp/user_encoder.hpp"

namespace rdpwarden::server::rdp {

class BitmapEncoder final : public UserEncoder {
 public:
  explicit BitmapEncoder(freerdp_peer* peer);
  bool reset(int width, int height) override;
  bool can_send() const override { return true; }
  bool send(const Framebuffer& frame, std::span<const codec::Rect> rects) override;
  bool refine(const Framebuffer&) override { return true; }  // always lossless
  const char* name() const override { return bpp_ == 32 ? "bitmap-planar" : "bitmap-interleaved"; }

 private:
  bool encode_tile(const Framebuffer& frame, int x, int y, int w, int h, BITMAP_DATA& out,
                   std::vector<std::uint8_t>& buffer);
  bool flush(std::vector<BITMAP_DATA>& pending);

  freerdp_peer* peer_;
  int bpp_ = 32;
  PlanarPtr planar_;
  InterleavedPtr interleaved_;
  std::vector<std::vector<std::uint8_t>> buffers_;
};

}  // namespace rdpwarden::server::rdp
