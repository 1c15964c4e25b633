#pragma once
// Live view without a second encoder: the recorder hands the same H.264 stream it records to
// one subscriber, repackaged as fragmented MP4 for Media Source Extensions with one fragment
// per frame (low latency). The recording's own segment files do not carry per-frame fragments.
//
// Threading: called on the recorder's thread; must not block (copy and hand off). Fan-out to
// several viewers is the subscriber's business.

#include <cstddef>
#include <span>
#include <string_view>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

class LiveSubscriber {
 public:
  virtual ~LiveSubscriber() = default;
  // An initialization segment (ftyp + moov). Sent when the subscriber is attached once the
  // stream has one, and again after a desktop resize; every fragment after it decodes with it.
  // `codec` is the RFC 6381 string for MediaSource ("avc1.64002a").
  virtual void on_live_init(std::span<const std::byte> init, std::string_view codec, int width,
                            int height) = 0;
  // One frame as moof + mdat. Its decode time (tfdt) is `pts`, the frame's session time in ms
  // (moved later by at most 1000 / max_fps ms when it follows the previous frame that soon);
  // its sample duration is nominal (1000 / max_fps ms) because the next change is not known
  // yet, so idle time shows as gaps: a live player should follow the live edge rather than
  // expect contiguous buffered ranges.
  // A subscriber attached mid-session first receives a keyframe (the recorder forces one).
  virtual void on_live_fragment(std::span<const std::byte> fragment, SessionTime pts,
                                bool keyframe) = 0;
};

}  // namespace rdpwarden::codec
