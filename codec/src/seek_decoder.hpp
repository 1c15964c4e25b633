#pragma once
// An H.264 decoder (libavcodec) that yields every picture at its full coded size in yuv420p
// (the padding rows beyond the crop included, since later frames predict from them), one
// picture per sample and no delay. Damaged input is an error (RecordingError), never
// concealed: a seek fragment must hold exactly the picture the recording holds.

#include <cstdint>
#include <span>

#include "av_handles.hpp"
#include "h264_pcm_picture.hpp"

namespace rdpwarden::codec {

class SeekDecoder {
 public:
  // `avcc` is the init header's avcC record; `width_mbs` x `height_mbs` its coded size.
  SeekDecoder(std::span<const std::uint8_t> avcc, int width_mbs, int height_mbs);

  // Decodes one sample (length-prefixed NAL units); throws when no picture comes out.
  void decode(std::span<const std::uint8_t> sample);
  // The last decoded picture, copied out.
  h264::PlanarPicture picture() const;

 private:
  av::CodecContextPtr context_;
  av::PacketPtr packet_;
  av::FramePtr frame_;
  int width_;
  int height_;
  bool have_frame_ = false;
};

}  // namespace rdpwarden::codec
