#pragma once
// Fragmented MP4 (CMAF-style: empty moov, moof with tfdt, default-base-is-moof) through
// libavformat's mp4 muxer, writing into memory. The caller decides where the bytes go (a
// segment file, a live subscriber) and when a fragment ends.

#include <cstdint>
#include <vector>

#include "av_handles.hpp"
#include "h264_encoder.hpp"

namespace rdpwarden::codec {

class Fmp4Muxer {
 public:
  // The stream's size and SPS/PPS come from the open encoder; colour is BT.709 limited range.
  explicit Fmp4Muxer(const StreamInfo& stream);
  ~Fmp4Muxer();
  Fmp4Muxer(const Fmp4Muxer&) = delete;
  Fmp4Muxer& operator=(const Fmp4Muxer&) = delete;

  // The initialization segment (ftyp + moov).
  const std::vector<std::uint8_t>& init() const { return init_; }
  // Adds one sample to the open fragment. `duration_ms` > 0; decode time = pts (no reorder).
  void add(const EncodedFrame& frame, std::int64_t duration_ms);
  // Ends the open fragment and returns it (moof + mdat); empty when no sample was added.
  std::vector<std::uint8_t> flush();

 private:
  static int write_callback(void* opaque, std::uint8_t* data, int size);

  std::vector<std::uint8_t> out_;  // bytes written by libavformat since the last take
  std::vector<std::uint8_t> init_;
  av::IoContextPtr io_;
  av::OutputFormatPtr format_;
  av::PacketPtr packet_;
  int samples_in_fragment_ = 0;
};

}  // namespace rdpwarden::codec
