#include "h264_params.hpp"

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

#include "h264_bits.hpp"

namespace rdpwarden::codec::h264 {
namespace {

BitReader rbsp_reader(std::span<const std::uint8_t> nal, std::vector<std::uint8_t>& rbsp,
                      int expected_type) {
  if (nal.empty() || (nal[0] & 0x1f) != expected_type)
    throw RecordingError(fmt::format("expected an H.264 NAL unit of type {}", expected_type));
  // Headers sit in the first bytes; a slice header never needs more than a few hundred.
  rbsp = to_rbsp(nal.subspan(1, std::min<std::size_t>(nal.size() - 1, 4096)));
  return BitReader(rbsp);
}

void skip_scaling_list(BitReader& r, int size) {
  int last = 8, next = 8;
  for (int j = 0; j < size; ++j) {
    if (next != 0) next = (last + r.se() + 256) % 256;
    last = next == 0 ? last : next;
  }
}

bool high_profile(int profile) {
  switch (profile) {
    case 100:
    case 110:
    case 122:
    case 244:
    case 44:
    case 83:
    case 86:
    case 118:
    case 128:
    case 138:
    case 139:
    case 134:
    case 135:
      return true;
    default:
      return false;
  }
}

void read_high_profile_fields(BitReader& r, Sps& s) {
  s.chroma_format_idc = static_cast<int>(r.ue());
  if (s.chroma_format_idc == 3) r.u(1);  // separate_colour_plane_flag
  std::uint32_t depth_luma = r.ue(), depth_chroma = r.ue();
  if (depth_luma != 0 || depth_chroma != 0)
    throw RecordingError("seek: only 8-bit H.264 streams are supported");
  r.u(1);  // qpprime_y_zero_transform_bypass_flag
  if (r.flag()) {
    for (int i = 0; i < (s.chroma_format_idc != 3 ? 8 : 12); ++i)
      if (r.flag()) skip_scaling_list(r, i < 6 ? 16 : 64);
  }
}

std::uint32_t bounded(std::uint32_t value, std::uint32_t max, const char* what) {
  if (value > max) throw RecordingError(fmt::format("H.264 {} out of range", what));
  return value;
}

}  // namespace

Sps parse_sps(std::span<const std::uint8_t> nal) {
  std::vector<std::uint8_t> rbsp;
  BitReader r = rbsp_reader(nal, rbsp, 7);
  Sps s;
  s.profile_idc = static_cast<int>(r.u(8));
  r.u(16);  // constraint flags, level_idc
  s.id = bounded(r.ue(), 31, "sps id");
  if (high_profile(s.profile_idc)) read_high_profile_fields(r, s);
  if (s.chroma_format_idc != 1) throw RecordingError("seek: only 4:2:0 H.264 is supported");
  s.log2_max_frame_num = static_cast<int>(bounded(r.ue(), 12, "log2_max_frame_num")) + 4;
  s.poc_type = static_cast<int>(bounded(r.ue(), 2, "pic_order_cnt_type"));
  if (s.poc_type == 0) {
    s.log2_max_poc_lsb = static_cast<int>(bounded(r.ue(), 12, "log2_max_poc_lsb")) + 4;
  } else if (s.poc_type == 1) {
    s.delta_pic_order_always_zero = r.flag();
    r.se();  // offset_for_non_ref_pic
    r.se();  // offset_for_top_to_bottom_field
    std::uint32_t cycle = bounded(r.ue(), 255, "poc cycle");
    for (std::uint32_t i = 0; i < cycle; ++i)
      r.se();
  }
  s.max_num_ref_frames = static_cast<int>(bounded(r.ue(), 16, "max_num_ref_frames"));
  r.u(1);  // gaps_in_frame_num_value_allowed_flag
  s.width_mbs = static_cast<int>(bounded(r.ue(), 1023, "width")) + 1;
  s.height_mbs = static_cast<int>(bounded(r.ue(), 1023, "height")) + 1;
  if (!r.flag()) throw RecordingError("seek: interlaced H.264 is not supported");
  return s;
}

Pps parse_pps(std::span<const std::uint8_t> nal) {
  std::vector<std::uint8_t> rbsp;
  BitReader r = rbsp_reader(nal, rbsp, 8);
  Pps p;
  p.id = bounded(r.ue(), 255, "pps id");
  p.sps_id = bounded(r.ue(), 31, "sps id");
  p.cabac = r.flag();
  p.bottom_field_pic_order_in_frame_present = r.flag();
  if (r.ue() != 0) throw RecordingError("seek: H.264 slice groups are not supported");
  r.ue();  // num_ref_idx_l0_default_active_minus1
  r.ue();  // num_ref_idx_l1_default_active_minus1
  r.u(3);  // weighted_pred_flag, weighted_bipred_idc
  p.pic_init_qp = 26 + r.se();
  r.se();  // pic_init_qs_minus26
  r.se();  // chroma_qp_index_offset
  p.deblocking_filter_control_present = r.flag();
  r.u(1);  // constrained_intra_pred_flag
  p.redundant_pic_cnt_present = r.flag();
  if (p.pic_init_qp < 0 || p.pic_init_qp > 51)
    throw RecordingError("H.264 pic_init_qp out of range");
  return p;
}

SliceHeader parse_slice_header(std::span<const std::uint8_t> nal, const Sps& sps, const Pps& pps) {
  if (nal.empty()) throw RecordingError("empty H.264 NAL unit");
  SliceHeader h;
  h.nal_unit_type = nal[0] & 0x1f;
  h.nal_ref_idc = (nal[0] >> 5) & 3;
  if (h.nal_unit_type != 1 && h.nal_unit_type != 5) throw RecordingError("expected an H.264 slice");
  std::vector<std::uint8_t> rbsp;
  BitReader r = rbsp_reader(nal, rbsp, h.nal_unit_type);
  h.first_mb = r.ue();
  h.slice_type = bounded(r.ue(), 9, "slice_type");
  h.pps_id = r.ue();
  if (h.pps_id != pps.id) throw RecordingError("H.264 slice refers to an unknown PPS");
  h.frame_num = r.u(sps.log2_max_frame_num);
  if (h.nal_unit_type == 5) r.ue();  // idr_pic_id
  if (sps.poc_type == 0) {
    h.poc_lsb = r.u(sps.log2_max_poc_lsb);
    if (pps.bottom_field_pic_order_in_frame_present) h.delta_poc_bottom = r.se();
  } else if (sps.poc_type == 1 && !sps.delta_pic_order_always_zero) {
    h.delta_poc[0] = r.se();
    if (pps.bottom_field_pic_order_in_frame_present) h.delta_poc[1] = r.se();
  }
  return h;
}

}  // namespace rdpwarden::codec::h264

namespace rdpwarden::codec::h264 {

std::span<const std::uint8_t> first_slice(std::span<const std::uint8_t> sample, int length_size) {
  std::size_t at = 0;
  while (at < sample.size()) {
    if (sample.size() - at < static_cast<std::size_t>(length_size))
      throw RecordingError("H.264 sample: NAL length ends early");
    std::size_t len = 0;
    for (int i = 0; i < length_size; ++i)
      len = (len << 8) | sample[at++];
    if (len == 0 || len > sample.size() - at) throw RecordingError("H.264 sample: bad NAL length");
    int type = sample[at] & 0x1f;
    if (type == 1 || type == 5) return sample.subspan(at, len);
    at += len;
  }
  return {};
}

}  // namespace rdpwarden::codec::h264
