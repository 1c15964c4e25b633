#include "h264_pcm_picture.hpp"
#include <algorithm>

#include <rdpwarden/codec/recording_error.hpp>

#include "h264_bits.hpp"
#include "h264_cabac.hpp"

namespace rdpwarden::codec::h264 {
namespace {

constexpr int kSliceTypeIAll = 7;  // I, and every slice of the picture is I
constexpr std::uint32_t kCavlcIPcm = 25;
constexpr std::size_t kMbBytes = 384;  // 256 luma + 2 x 64 chroma samples at 8 bits

void write_slice_header(BitWriter& w, const Sps& sps, const Pps& pps, const SliceHeader& old) {
  w.ue(0);  // first_mb_in_slice
  w.ue(kSliceTypeIAll);
  w.ue(pps.id);
  w.u(sps.log2_max_frame_num, old.frame_num);
  // frame_mbs_only (checked when the SPS was read): no field_pic_flag; not IDR: no idr_pic_id.
  if (sps.poc_type == 0) {
    w.u(sps.log2_max_poc_lsb, old.poc_lsb);
    if (pps.bottom_field_pic_order_in_frame_present) w.se(old.delta_poc_bottom);
  } else if (sps.poc_type == 1 && !sps.delta_pic_order_always_zero) {
    w.se(old.delta_poc[0]);
    if (pps.bottom_field_pic_order_in_frame_present) w.se(old.delta_poc[1]);
  }
  if (pps.redundant_pic_cnt_present) w.ue(0);
  // An I slice has no reference lists or weights. dec_ref_pic_marking: sliding window.
  w.flag(false);
  w.se(0);  // slice_qp_delta: SliceQPY = pic_init_qp (irrelevant to PCM, sets CABAC contexts)
  // PCM macroblocks have qP 0, so the filter changes nothing; switching it off says so.
  if (pps.deblocking_filter_control_present) w.ue(1);
}

// The 384 samples of macroblock (mx, my) in the order of 7.3.5: luma rows, then Cb, then Cr.
void append_macroblock(std::vector<std::uint8_t>& mb, const PlanarPicture& p, int mx, int my) {
  mb.clear();
  const std::uint8_t* y = p.planes.data();
  for (int r = 0; r < 16; ++r) {
    const std::uint8_t* row = y + static_cast<std::size_t>(my * 16 + r) * p.width + mx * 16;
    mb.insert(mb.end(), row, row + 16);
  }
  const int cw = p.width / 2;
  for (int plane = 0; plane < 2; ++plane) {
    const std::uint8_t* c = y + p.luma_size() + plane * p.luma_size() / 4;
    for (int r = 0; r < 8; ++r) {
      const std::uint8_t* row = c + static_cast<std::size_t>(my * 8 + r) * cw + mx * 8;
      mb.insert(mb.end(), row, row + 8);
    }
  }
}

void write_cabac_data(BitWriter& w, const Sps& sps, const Pps& pps, const PlanarPicture& p) {
  while (!w.byte_aligned())
    w.u(1, 1);  // cabac_alignment_one_bit
  CabacWriter cabac(w, pps.pic_init_qp);
  std::vector<std::uint8_t> mb;
  mb.reserve(kMbBytes);
  for (int my = 0; my < sps.height_mbs; ++my) {
    for (int mx = 0; mx < sps.width_mbs; ++mx) {
      if (mx > 0 || my > 0) cabac.terminate(0);  // end_of_slice_flag of the previous one
      // mb_type bin 0 = 1 (not I_NxN); ctxIdxInc counts available neighbours, none I_NxN.
      cabac.decision(3 + (mx > 0 ? 1 : 0) + (my > 0 ? 1 : 0), 1);
      cabac.terminate(1);  // bin 1 = 1: I_PCM; flushes the engine
      while (!w.byte_aligned())
        w.u(1, 0);  // pcm_alignment_zero_bit
      append_macroblock(mb, p, mx, my);
      w.bytes(mb);
      cabac.restart();
    }
  }
  cabac.terminate(1);  // end_of_slice_flag; the flush writes rbsp_stop_one_bit
  while (!w.byte_aligned())
    w.u(1, 0);
}

void write_cavlc_data(BitWriter& w, const Sps& sps, const PlanarPicture& p) {
  std::vector<std::uint8_t> mb;
  mb.reserve(kMbBytes);
  for (int my = 0; my < sps.height_mbs; ++my) {
    for (int mx = 0; mx < sps.width_mbs; ++mx) {
      w.ue(kCavlcIPcm);
      while (!w.byte_aligned())
        w.u(1, 0);
      append_macroblock(mb, p, mx, my);
      w.bytes(mb);
    }
  }
  w.trailing_bits();
}

void append_with_length(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& nal,
                        int length_size) {
  if (length_size < 4 && nal.size() >> (8 * length_size) != 0)
    throw RecordingError("seek: NAL unit too large for the stream's length field");
  for (int i = length_size - 1; i >= 0; --i)
    out.push_back(static_cast<std::uint8_t>(nal.size() >> (8 * i)));
  out.insert(out.end(), nal.begin(), nal.end());
}

}  // namespace

std::vector<std::uint8_t> write_pcm_access_unit(const Sps& sps, const Pps& pps,
                                                const SliceHeader& replaced,
                                                const PlanarPicture& picture, int length_size) {
  if (picture.width != sps.width_mbs * 16 || picture.height != sps.height_mbs * 16 ||
      picture.planes.size() != picture.size())
    throw RecordingError("seek: picture does not match the stream's coded size");
  if (length_size < 1 || length_size > 4) throw RecordingError("seek: bad NAL length size");
  // SEI recovery point (D.2.8): recovery_frame_cnt 0, exact_match 1, broken_link 0,
  // changing_slice_group_idc 0, then payload alignment: 1 1 0 00 1 00 = 0xc4.
  const std::uint8_t sei_rbsp[] = {6, 1, 0xc4, 0x80};
  BitWriter slice;
  write_slice_header(slice, sps, pps, replaced);
  if (pps.cabac)
    write_cabac_data(slice, sps, pps, picture);
  else
    write_cavlc_data(slice, sps, picture);
  // nal_ref_idc of the replaced picture (never 0: the caller only replaces references).
  auto header = static_cast<std::uint8_t>((std::max(replaced.nal_ref_idc, 1) << 5) | 1);
  std::vector<std::uint8_t> out;
  out.reserve(picture.size() + picture.size() / 64 + 64);
  append_with_length(out, to_nal(6, sei_rbsp), length_size);
  append_with_length(out, to_nal(header, slice.data()), length_size);
  return out;
}

}  // namespace rdpwarden::codec::h264
