#include "rdp/gfx_encoder.hpp"
#include <algorithm>
#include <cstring>

#include <freerdp/codec/color.h>
#include <winpr/sysinfo.h>

#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

constexpr int kTile = DirtyTiles::kTile;
// Planar worst case: format header plus four raw planes; RLE can grow a plane slightly.
constexpr std::size_t kTileBufferBytes = 1 + 2 * 4 * kTile * kTile + 256;

RDPGFX_START_FRAME_PDU start_frame_pdu(std::uint32_t frame_id) {
  SYSTEMTIME t;
  GetSystemTime(&t);
  RDPGFX_START_FRAME_PDU pdu{};
  pdu.frameId = frame_id;
  pdu.timestamp = static_cast<UINT32>(t.wHour) << 22 | static_cast<UINT32>(t.wMinute) << 16 |
                  static_cast<UINT32>(t.wSecond) << 10 | t.wMilliseconds;
  return pdu;
}

RECTANGLE_16 to_rect16(const codec::Rect& r) {
  return {static_cast<UINT16>(r.x), static_cast<UINT16>(r.y), static_cast<UINT16>(r.right()),
          static_cast<UINT16>(r.bottom())};
}

}  // namespace

GfxEncoder::GfxEncoder(GfxChannel& channel, GfxTuning tuning)
    : channel_(channel),
      tuning_(tuning),
      planar_(make_planar_encoder(kTile, kTile)),
      tile_buffer_(kTileBufferBytes),
      tile_pixels_(static_cast<std::size_t>(kTile) * kTile * 4) {}

bool GfxEncoder::reset(int width, int height) {
  RdpgfxServerContext* gfx = channel_.context();
  if (surface_) {
    RDPGFX_DELETE_SURFACE_PDU del{};
    del.surfaceId = surface_id_;
    gfx->DeleteSurface(gfx, &del);
    surface_ = false;
  }
  MONITOR_DEF monitor{};
  monitor.right = width - 1;
  monitor.bottom = height - 1;
  monitor.flags = MONITOR_PRIMARY;
  RDPGFX_RESET_GRAPHICS_PDU reset{};
  reset.width = static_cast<UINT32>(width);
  reset.height = static_cast<UINT32>(height);
  reset.monitorCount = 1;
  reset.monitorDefArray = &monitor;
  if (gfx->ResetGraphics(gfx, &reset) != CHANNEL_RC_OK) return false;

  ++surface_id_;
  RDPGFX_CREATE_SURFACE_PDU create{};
  create.surfaceId = surface_id_;
  create.width = static_cast<UINT16>(width);
  create.height = static_cast<UINT16>(height);
  create.pixelFormat = GFX_PIXEL_FORMAT_XRGB_8888;
  RDPGFX_MAP_SURFACE_TO_OUTPUT_PDU map{};
  map.surfaceId = surface_id_;
  if (gfx->CreateSurface(gfx, &create) != CHANNEL_RC_OK ||
      gfx->MapSurfaceToOutput(gfx, &map) != CHANNEL_RC_OK)
    return false;
  surface_ = true;
  width_ = width;
  height_ = height;
  channel_.reset_flow();
  lossy_.reset(width, height);

  // H.264 needs even dimensions; an odd-sized desktop gets planar only.
  h264_.reset();
  avc_allowed_ = channel_.avc420() && width % 2 == 0 && height % 2 == 0;
  if (avc_allowed_) {
    try {
      h264_ = make_h264_encoder(width, height);
      h264_->RateControlMode = H264_RATECONTROL_CQP;
      h264_->QP = static_cast<UINT32>(tuning_.avc_qp);
      h264_->FrameRate = 30;
    } catch (const FreeRdpError& e) {
      log::warn("H.264 encoder unavailable ({}); sending planar only", e.what());
      avc_allowed_ = false;
    }
  }
  return true;
}

bool GfxEncoder::can_send() const {
  return channel_.in_flight() < tuning_.max_frames_in_flight;
}

bool GfxEncoder::use_avc(std::span<const codec::Rect> rects) const {
  if (!avc_allowed_ || !h264_) return false;
  double area = 0;
  for (const auto& r : rects)
    area += static_cast<double>(r.width) * r.height;
  return area >= tuning_.avc_min_coverage * static_cast<double>(width_) * height_;
}

bool GfxEncoder::send(const Framebuffer& frame, std::span<const codec::Rect> rects) {
  if (!surface_ || rects.empty()) return true;
  const std::uint32_t frame_id = channel_.next_frame_id();
  if (!begin_frame(frame_id)) return false;
  bool ok;
  if (use_avc(rects)) {
    ok = send_avc420(frame, rects, frame_id);
    for (const auto& r : rects)
      lossy_.mark(r);
  } else {
    ok = send_planar(frame, rects, frame_id);
  }
  return ok && end_frame(frame_id);
}

bool GfxEncoder::refine(const Framebuffer& frame) {
  if (!surface_ || lossy_.empty()) return true;
  const auto rects = lossy_.take();
  const std::uint32_t frame_id = channel_.next_frame_id();
  return begin_frame(frame_id) && send_planar(frame, rects, frame_id) && end_frame(frame_id);
}

bool GfxEncoder::begin_frame(std::uint32_t frame_id) {
  RdpgfxServerContext* gfx = channel_.context();
  const auto pdu = start_frame_pdu(frame_id);
  return gfx->StartFrame(gfx, &pdu) == CHANNEL_RC_OK;
}

bool GfxEncoder::end_frame(std::uint32_t frame_id) {
  RdpgfxServerContext* gfx = channel_.context();
  RDPGFX_END_FRAME_PDU pdu{};
  pdu.frameId = frame_id;
  return gfx->EndFrame(gfx, &pdu) == CHANNEL_RC_OK;
}

bool GfxEncoder::send_planar(const Framebuffer& frame, std::span<const codec::Rect> rects,
                             std::uint32_t) {
  RdpgfxServerContext* gfx = channel_.context();
  for (const auto& rect : rects) {
    const auto r = codec::intersect(rect, frame.bounds());
    for (int y = r.y; y < r.bottom(); y += kTile) {
      for (int x = r.x; x < r.right(); x += kTile) {
        const int w = std::min(kTile, r.right() - x);
        const int h = std::min(kTile, r.bottom() - y);
        // FreeRDP's planar encoder writes bitmap-update order (bottom-up), while the graphics
        // pipeline decodes top-down: hand it the tile upside down.
        const auto row_bytes = static_cast<std::size_t>(w) * 4;
        for (int row = 0; row < h; ++row) {
          std::memcpy(tile_pixels_.data() + static_cast<std::size_t>(h - 1 - row) * row_bytes,
                      frame.data() + static_cast<std::ptrdiff_t>(y + row) * frame.stride() + x * 4,
                      row_bytes);
        }
        UINT32 size = static_cast<UINT32>(tile_buffer_.size());
        if (!freerdp_bitmap_compress_planar(
                planar_.get(), tile_pixels_.data(), PIXEL_FORMAT_BGRX32, static_cast<UINT32>(w),
                static_cast<UINT32>(h), static_cast<UINT32>(row_bytes), tile_buffer_.data(), &size))
          return false;
        RDPGFX_SURFACE_COMMAND cmd{};
        cmd.surfaceId = surface_id_;
        cmd.codecId = RDPGFX_CODECID_PLANAR;
        cmd.format = PIXEL_FORMAT_BGRX32;
        cmd.left = static_cast<UINT32>(x);
        cmd.top = static_cast<UINT32>(y);
        cmd.right = static_cast<UINT32>(x + w);
        cmd.bottom = static_cast<UINT32>(y + h);
        cmd.width = static_cast<UINT32>(w);
        cmd.height = static_cast<UINT32>(h);
        cmd.length = size;
        cmd.data = tile_buffer_.data();
        if (gfx->SurfaceCommand(gfx, &cmd) != CHANNEL_RC_OK) return false;
      }
    }
  }
  return true;
}

bool GfxEncoder::send_avc420(const Framebuffer& frame, std::span<const codec::Rect> rects,
                             std::uint32_t) {
  RDPGFX_AVC420_BITMAP_STREAM avc{};
  if (avc420_compress(h264_.get(), frame.data(), PIXEL_FORMAT_BGRX32,
                      static_cast<UINT32>(frame.stride()), static_cast<UINT32>(width_),
                      static_cast<UINT32>(height_), &avc.data, &avc.length) < 0)
    return false;
  std::vector<RECTANGLE_16> regions;
  std::vector<RDPGFX_H264_QUANT_QUALITY> quality;
  for (const auto& r : rects) {
    regions.push_back(to_rect16(codec::intersect(r, frame.bounds())));
    RDPGFX_H264_QUANT_QUALITY q{};
    q.qp = static_cast<BYTE>(tuning_.avc_qp);
    q.qualityVal = static_cast<BYTE>(100 - tuning_.avc_qp);
    quality.push_back(q);
  }
  avc.meta.numRegionRects = static_cast<UINT32>(regions.size());
  avc.meta.regionRects = regions.data();
  avc.meta.quantQualityVals = quality.data();
  RDPGFX_SURFACE_COMMAND cmd{};
  cmd.surfaceId = surface_id_;
  cmd.codecId = RDPGFX_CODECID_AVC420;
  cmd.format = PIXEL_FORMAT_BGRX32;
  cmd.right = static_cast<UINT32>(width_);
  cmd.bottom = static_cast<UINT32>(height_);
  cmd.width = static_cast<UINT32>(width_);
  cmd.height = static_cast<UINT32>(height_);
  cmd.extra = &avc;
  RdpgfxServerContext* gfx = channel_.context();
  return gfx->SurfaceCommand(gfx, &cmd) == CHANNEL_RC_OK;
}

}  // namespace rdpwarden::server::rdp
