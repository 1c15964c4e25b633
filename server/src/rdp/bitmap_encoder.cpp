#include "rdp/bitmap_encoder.hpp"
#include <algorithm>

#include <freerdp/codec/color.h>
#include <freerdp/update.h>

namespace rdpwarden::server::rdp {
namespace {

constexpr int kTile = 64;
constexpr std::size_t kTileBufferBytes = 1 + 2 * 4 * kTile * kTile + 256;

}  // namespace

BitmapEncoder::BitmapEncoder(freerdp_peer* peer)
    : peer_(peer),
      planar_(make_planar_encoder(kTile, kTile)),
      interleaved_(make_interleaved_encoder()) {}

bool BitmapEncoder::reset(int, int) {
  // The session's colour depth is what the client asked for, capped at ours (32).
  const auto depth = freerdp_settings_get_uint32(peer_->settings, FreeRDP_ColorDepth);
  // Interleaved RLE at 24 bpp is poorly supported by clients; 16 is what they all render.
  bpp_ = depth >= 32 ? 32 : (depth == 15 ? 15 : 16);
  return true;
}

bool BitmapEncoder::encode_tile(const Framebuffer& frame, int x, int y, int w, int h,
                                BITMAP_DATA& out, std::vector<std::uint8_t>& buffer) {
  buffer.resize(kTileBufferBytes);
  out = BITMAP_DATA{};
  out.destLeft = static_cast<UINT32>(x);
  out.destTop = static_cast<UINT32>(y);
  out.destRight = static_cast<UINT32>(x + w - 1);
  out.destBottom = static_cast<UINT32>(y + h - 1);
  out.width = static_cast<UINT32>(w);
  out.height = static_cast<UINT32>(h);
  out.compressed = TRUE;
  UINT32 size = static_cast<UINT32>(buffer.size());
  if (bpp_ == 32) {
    const std::uint8_t* src =
        frame.data() + static_cast<std::ptrdiff_t>(y) * frame.stride() + x * 4;
    if (!freerdp_bitmap_compress_planar(planar_.get(), src, PIXEL_FORMAT_BGRX32,
                                        static_cast<UINT32>(w), static_cast<UINT32>(h),
                                        static_cast<UINT32>(frame.stride()), buffer.data(), &size))
      return false;
    out.cbScanWidth = static_cast<UINT32>(w) * 4;
    out.cbUncompressedSize = static_cast<UINT32>(w * h) * 4;
  } else {
    if (!interleaved_compress(interleaved_.get(), buffer.data(), &size, static_cast<UINT32>(w),
                              static_cast<UINT32>(h), frame.data(), PIXEL_FORMAT_BGRX32,
                              static_cast<UINT32>(frame.stride()), static_cast<UINT32>(x),
                              static_cast<UINT32>(y), nullptr, static_cast<UINT32>(bpp_)))
      return false;
    const int bytes = (bpp_ + 7) / 8;
    out.cbScanWidth = static_cast<UINT32>(w * bytes);
    out.cbUncompressedSize = static_cast<UINT32>(w * h * bytes);
  }
  out.bitsPerPixel = static_cast<UINT32>(bpp_);
  out.bitmapLength = size;
  out.bitmapDataStream = buffer.data();
  out.cbCompMainBodySize = size;
  return true;
}

bool BitmapEncoder::flush(std::vector<BITMAP_DATA>& pending) {
  if (pending.empty()) return true;
  BITMAP_UPDATE update{};
  update.number = update.count = static_cast<UINT32>(pending.size());
  update.rectangles = pending.data();
  const BOOL ok = peer_->update->BitmapUpdate(peer_->context, &update);
  pending.clear();
  return ok == TRUE;
}

bool BitmapEncoder::send(const Framebuffer& frame, std::span<const codec::Rect> rects) {
  const auto max_update = std::max<UINT32>(
      freerdp_settings_get_uint32(peer_->settings, FreeRDP_MultifragMaxRequestSize), 0x3FFF);
  std::vector<BITMAP_DATA> pending;
  std::size_t pending_bytes = 1024;
  std::size_t next_buffer = 0;
  for (const auto& rect : rects) {
    const auto r = codec::intersect(rect, frame.bounds());
    for (int y = r.y; y < r.bottom(); y += kTile) {
      for (int x = r.x; x < r.right(); x += kTile) {
        const int w = std::min(kTile, r.right() - x);
        const int h = std::min(kTile, r.bottom() - y);
        if (next_buffer == buffers_.size()) buffers_.emplace_back();
        BITMAP_DATA tile;
        if (!encode_tile(frame, x, y, w, h, tile, buffers_[next_buffer])) return false;
        if (pending_bytes + tile.bitmapLength + 32 > max_update) {
          if (!flush(pending)) return false;
          pending_bytes = 1024;
          next_buffer = 0;
          // The tile's buffer may now be reused by the next ones; re-encode into slot 0.
          if (!encode_tile(frame, x, y, w, h, tile, buffers_[next_buffer])) return false;
        }
        ++next_buffer;
        pending_bytes += tile.bitmapLength + 32;
        pending.push_back(tile);
      }
    }
  }
  return flush(pending);
}

}  // namespace rdpwarden::server::rdp
