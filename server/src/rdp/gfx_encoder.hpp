#pragma once
// The graphics pipeline toward the admin's client, mixing codecs per update the way RDP 8/10
// servers do: small changes (typing, a clock, a cursor blink) as lossless planar tiles, which
// cost well under a millisecond; large changes (scrolling, video, a new window) as one AVC420
// picture when the client decodes H.264. Areas last sent lossy are re-sent exactly (planar)
// once they have been still for a moment, so a static screen is always pixel-exact.

#include <cstdint>
#include <vector>

#include "rdp/dirty_tiles.hpp"
#include "rdp/freerdp_handles.hpp"
#include "rdp/gfx_channel.hpp"
#include "rdp/user_encoder.hpp"

namespace rdpwarden::server::rdp {

struct GfxTuning {
  // An update covering at least this fraction of the screen goes out as AVC420 (when allowed).
  double avc_min_coverage = 0.15;
  int avc_qp = 22;
  std::uint32_t max_frames_in_flight = 3;
};

class GfxEncoder final : public UserEncoder {
 public:
  GfxEncoder(GfxChannel& channel, GfxTuning tuning);
  bool reset(int width, int height) override;
  bool can_send() const override;
  bool send(const Framebuffer& frame, std::span<const codec::Rect> rects) override;
  bool refine(const Framebuffer& frame) override;
  const char* name() const override { return avc_allowed_ ? "gfx-planar+avc420" : "gfx-planar"; }

 private:
  bool send_planar(const Framebuffer& frame, std::span<const codec::Rect> rects,
                   std::uint32_t frame_id);
  bool send_avc420(const Framebuffer& frame, std::span<const codec::Rect> rects,
                   std::uint32_t frame_id);
  bool use_avc(std::span<const codec::Rect> rects) const;
  bool begin_frame(std::uint32_t frame_id);
  bool end_frame(std::uint32_t frame_id);

  GfxChannel& channel_;
  GfxTuning tuning_;
  PlanarPtr planar_;
  H264Ptr h264_;
  std::vector<std::uint8_t> tile_buffer_;
  std::vector<std::uint8_t> tile_pixels_;
  std::uint16_t surface_id_ = 0;
  bool surface_ = false;
  bool avc_allowed_ = false;
  int width_ = 0;
  int height_ = 0;
  DirtyTiles lossy_;  // sent as AVC420 and not yet refined
};

}  // namespace rdpwarden::server::rdp
