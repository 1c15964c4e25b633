#pragma once
// The parts of H.264 sequence and picture parameter sets (7.3.2.1, 7.3.2.2) and of a slice
// header (7.3.3) that are needed to write a slice that fits into an existing stream. Parsed
// from untrusted recordings: malformed input throws RecordingError, and stream features the
// seek writer does not support (interlace, 4:4:4, high bit depth, slice groups) are refused.

#include <cstdint>
#include <span>

namespace rdpwarden::codec::h264 {

struct Sps {
  std::uint32_t id = 0;
  int profile_idc = 0;
  int chroma_format_idc = 1;
  int log2_max_frame_num = 4;
  int poc_type = 0;
  int log2_max_poc_lsb = 4;                 // poc_type 0
  bool delta_pic_order_always_zero = true;  // poc_type 1
  int max_num_ref_frames = 1;
  int width_mbs = 0;
  int height_mbs = 0;
};

struct Pps {
  std::uint32_t id = 0;
  std::uint32_t sps_id = 0;
  bool cabac = false;
  bool bottom_field_pic_order_in_frame_present = false;
  int pic_init_qp = 26;
  bool deblocking_filter_control_present = false;
  bool redundant_pic_cnt_present = false;
};

// The fields of a slice header up to the picture order count, which a replacement picture
// must repeat so that the frames after it continue the same sequence.
struct SliceHeader {
  int nal_unit_type = 0;
  int nal_ref_idc = 0;
  std::uint32_t first_mb = 0;
  std::uint32_t slice_type = 0;
  std::uint32_t pps_id = 0;
  std::uint32_t frame_num = 0;
  std::uint32_t poc_lsb = 0;
  std::int32_t delta_poc_bottom = 0;
  std::int32_t delta_poc[2] = {0, 0};
};

// `nal` is one NAL unit including its header byte, with emulation prevention bytes.
Sps parse_sps(std::span<const std::uint8_t> nal);
Pps parse_pps(std::span<const std::uint8_t> nal);
SliceHeader parse_slice_header(std::span<const std::uint8_t> nal, const Sps& sps, const Pps& pps);

}  // namespace rdpwarden::codec::h264

namespace rdpwarden::codec::h264 {

// The first slice NAL unit (type 1 or 5) of a sample made of NAL units each preceded by a
// `length_size`-byte length; empty when there is none. Throws on a length past the end.
std::span<const std::uint8_t> first_slice(std::span<const std::uint8_t> sample, int length_size);

}  // namespace rdpwarden::codec::h264
