#pragma once
// x264 through libavcodec, set up for screen recording: no B-frames and no lookahead (a frame
// that arrives is coded at once, so nothing waits in the encoder for the next change and
// nothing is lost on a crash), keyframes only when asked for, time base 1/1000 (session ms).

#include <cstdint>
#include <string>
#include <vector>

#include <rdpwarden/codec/recorder_options.hpp>

#include "av_handles.hpp"

namespace rdpwarden::codec {

struct EncodedFrame {
  std::vector<std::uint8_t> data;  // Annex B NAL units, as libx264 emits them
  std::int64_t pts = 0;            // ms
  bool keyframe = false;
};

class H264Encoder {
 public:
  H264Encoder(int width, int height, int max_fps, const EncoderSettings& settings);

  // Encodes an I420 picture at `pts_ms` (strictly increasing); `idr` forces an IDR. With no
  // lookahead the packet comes back from the same call. Throws RecordingError.
  EncodedFrame encode(const AVFrame& picture, std::int64_t pts_ms, bool idr);

  const AVCodecContext& context() const { return *ctx_; }
  // RFC 6381 codec string from the SPS, e.g. "avc1.64002a".
  std::string codec_string() const;

 private:
  av::CodecContextPtr ctx_;
  av::FramePtr frame_;  // a reference to the caller's picture with our pts/flags
  av::PacketPtr packet_;
};

}  // namespace rdpwarden::codec
