#pragma once
// RAII owners for libx264 handles, made by null-checking factories. The recorder drives
// libx264 directly (not through libavcodec) for the per-macroblock hints of x264_picture_t
// (prop.mb_info), which libavcodec does not pass on.

#include <cstdint>
#include <memory>

extern "C" {
#include <x264.h>
}

namespace rdpwarden::codec::x264 {

struct EncoderDeleter {
  void operator()(x264_t* e) const { x264_encoder_close(e); }
};
using EncoderPtr = std::unique_ptr<x264_t, EncoderDeleter>;

// Opens an encoder; throws RecordingError when libx264 refuses the parameters.
EncoderPtr open_encoder(x264_param_t& param);

// A per-picture macroblock flag array handed to libx264, which frees it with mb_info_release
// once it no longer needs it (it can outlive the encode call: x264 keeps it with the
// reconstructed frame). Throws std::bad_alloc.
std::uint8_t* allocate_mb_info(std::size_t macroblocks);
void mb_info_release(void* mb_info);

}  // namespace rdpwarden::codec::x264
