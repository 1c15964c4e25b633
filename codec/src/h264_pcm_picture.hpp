#pragma once
// Writes a decoded picture back into an H.264 stream losslessly: one intra slice whose
// macroblocks are all I_PCM (raw samples), preceded by a recovery point SEI so that a decoder
// starting there outputs it. The slice is a non-IDR reference picture that carries the
// frame_num and picture order count of the picture it replaces, so the stream's following
// P-frames decode against it exactly as against the original.

#include <cstdint>
#include <span>
#include <vector>

#include "h264_params.hpp"

namespace rdpwarden::codec::h264 {

// A 4:2:0 8-bit picture at the coded size (whole macroblocks, padding rows included):
// Y (width x height), then U and V (width/2 x height/2), rows packed without gaps.
struct PlanarPicture {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> planes;

  std::size_t luma_size() const { return static_cast<std::size_t>(width) * height; }
  std::size_t size() const { return luma_size() * 3 / 2; }
};

// The access unit (SEI + slice) as length-prefixed NAL units (`length_size` bytes each, as
// avcC says). `replaced` is the header of the picture it stands for; the picture must have
// the SPS's coded size.
std::vector<std::uint8_t> write_pcm_access_unit(const Sps& sps, const Pps& pps,
                                                const SliceHeader& replaced,
                                                const PlanarPicture& picture, int length_size);

}  // namespace rdpwarden::codec::h264
