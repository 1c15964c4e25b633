#pragma once
// Small JPEG thumbnails of the I420 picture for the player's seek bar (libswscale + the
// mjpeg encoder of libavcodec).

#include <cstdint>
#include <vector>

#include "av_handles.hpp"

namespace rdpwarden::codec {

class Thumbnailer {
 public:
  // Thumbnails of `width` x proportional (even) height for pictures of src_w x src_h.
  Thumbnailer(int src_w, int src_h, int width);
  int width() const { return width_; }
  int height() const { return height_; }
  // Throws RecordingError.
  std::vector<std::uint8_t> jpeg(const AVFrame& picture);

 private:
  int width_;
  int height_;
  av::SwsPtr sws_;
  av::FramePtr small_;
  av::CodecContextPtr jpeg_;
  av::PacketPtr packet_;
  std::int64_t next_pts_ = 0;
};

}  // namespace rdpwarden::codec
