#pragma once
// x264 (libx264 directly) set up for screen recording: no B-frames and no lookahead (a frame
// that arrives is coded at once, so nothing waits in the encoder for the next change and
// nothing is lost on a crash), keyframes only when asked for, time base 1/1000 (session ms).
//
// Each picture comes with the macroblocks that changed since the previous one; the others are
// marked X264_MBINFO_CONSTANT, so x264 codes them as skips without analysing them (it still
// analyses a constant block whose reference was coded at a worse quantizer, or was touched by
// a neighbour's deblocking, so a skipped block never freezes a blurred picture).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <rdpwarden/codec/recorder_options.hpp>

#include "av_handles.hpp"
#include "x264_handles.hpp"

namespace rdpwarden::codec {

struct EncodedFrame {
  std::vector<std::uint8_t> data;  // Annex B NAL units, as libx264 emits them
  std::int64_t pts = 0;            // ms
  bool keyframe = false;
};

// What the recorder knows about a picture that saves x264 work or finds it a better coding.
struct PictureHints {
  // One byte per macroblock (mb_columns() x mb_rows(), row-major), non-zero where the picture
  // may differ from the previous one; empty: all may differ.
  std::span<const std::uint8_t> changed;
  // A vertical scroll in the changed area (scroll_detector.hpp): the motion search covers it.
  std::optional<int> scroll;
};

// What a muxer needs to describe the stream.
struct StreamInfo {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> extradata;  // SPS and PPS, Annex B
};

class H264Encoder {
 public:
  H264Encoder(int width, int height, int max_fps, const EncoderSettings& settings);

  int mb_columns() const { return (info_.width + 15) / 16; }
  int mb_rows() const { return (info_.height + 15) / 16; }

  // Encodes an I420 picture at `pts_ms` (strictly increasing); `idr` forces an IDR. With no
  // lookahead the frame comes back from the same call. Throws RecordingError.
  EncodedFrame encode(const AVFrame& picture, std::int64_t pts_ms, bool idr,
                      const PictureHints& hints = {});

  const StreamInfo& stream() const { return info_; }
  // RFC 6381 codec string from the SPS, e.g. "avc1.64002a".
  std::string codec_string() const;

 private:
  // The motion search for this frame: the configured one, or one wide enough for a scroll.
  void set_search(int method, int range);

  x264::EncoderPtr encoder_;
  StreamInfo info_;
  int base_method_ = 0;
  int base_range_ = 0;
  int method_ = 0;
  int range_ = 0;
};

}  // namespace rdpwarden::codec
