#include "x264_handles.hpp"
#include <cstdlib>
#include <new>

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec::x264 {

EncoderPtr open_encoder(x264_param_t& param) {
  EncoderPtr encoder(x264_encoder_open(&param));
  if (!encoder) throw RecordingError("libx264 refused the encoder settings");
  return encoder;
}

std::uint8_t* allocate_mb_info(std::size_t macroblocks) {
  // malloc/free because libx264 calls the release function from C.
  void* p = std::calloc(macroblocks, 1);
  if (!p) throw std::bad_alloc();
  return static_cast<std::uint8_t*>(p);
}

void mb_info_release(void* mb_info) {
  std::free(mb_info);
}

}  // namespace rdpwarden::codec::x264
