#include "h264_encoder.hpp"
#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec {
namespace {

constexpr int kMaxScroll = 500;

void parse_option(x264_param_t& p, const std::string& key, const std::string& value) {
  if (x264_param_parse(&p, key.c_str(), value.c_str()) != 0)
    throw RecordingError(fmt::format("x264 option {}={} is not valid", key, value));
}

// "key=value:key=value" as the x264 command line and libavcodec's x264-params take them.
void parse_options(x264_param_t& p, const std::string& options) {
  std::size_t pos = 0;
  while (pos < options.size()) {
    std::size_t end = options.find(':', pos);
    if (end == std::string::npos) end = options.size();
    std::string item = options.substr(pos, end - pos);
    pos = end + 1;
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    parse_option(p, item.substr(0, eq), eq == std::string::npos ? "1" : item.substr(eq + 1));
  }
}

x264_param_t make_param(int width, int height, int max_fps, const EncoderSettings& s) {
  x264_param_t p;
  if (x264_param_default_preset(&p, s.preset.c_str(), s.tune.empty() ? nullptr : s.tune.c_str()))
    throw RecordingError(
        fmt::format("x264 preset '{}' / tune '{}' is not known", s.preset, s.tune));
  p.i_log_level = X264_LOG_NONE;
  p.i_width = width;
  p.i_height = height;
  p.i_csp = X264_CSP_I420;
  // One session, one core at most; frame threads would add delay.
  p.i_threads = 1;
  p.b_sliced_threads = 0;
  // Without a frame rate x264 sizes the level for a high rate (level 6.1, which some decoders
  // refuse); the cap is the real maximum rate. Rate control by frame count (constant-rate
  // input): with variable-frame-rate input x264 holds each frame back until the next one
  // arrives, to learn its duration, which for a screen that changes rarely means seconds.
  p.i_fps_num = static_cast<std::uint32_t>(max_fps);
  p.i_fps_den = 1;
  p.i_timebase_num = 1;
  p.i_timebase_den = 1000;
  p.b_vfr_input = 0;
  // A keyframe only where we force one (segment starts, live joins); zero frame delay.
  p.i_keyint_max = X264_KEYINT_MAX_INFINITE;
  p.i_keyint_min = 1;
  p.i_scenecut_threshold = s.scenecut ? 40 : 0;
  p.i_bframe = 0;
  p.rc.i_lookahead = 0;
  p.i_sync_lookahead = 0;
  p.rc.b_mb_tree = 0;
  p.rc.i_rc_method = X264_RC_CRF;
  p.rc.f_rf_constant = static_cast<float>(s.crf);
  // Every frame at the same quality whatever its complexity (qcomp 1: CRF becomes a constant
  // quantizer plus adaptive quantization). With the default 0.6 the quantizer drifts from
  // frame to frame, and x264 re-analyses every block hinted constant whose reference was
  // coded at a higher quantizer than this frame's, which wastes most of the hints.
  p.rc.f_qcompress = 1.0f;
  // The IDR at the P-frames' quantizer, not ~3 steps finer (ipratio 1.4): every segment opens
  // with one, and a full terminal keyframe is then ~18 % smaller at no cost in the P-frames
  // that follow (they refine nothing: the screen did not change), measured in RESULTS.md.
  p.rc.f_ip_factor = 1.0f;
  p.rc.i_qp_min = s.qp_min;
  p.rc.i_qp_max = s.qp_max;
  // SPS/PPS go into the fMP4 init (avcC), not before each keyframe; Annex B start codes,
  // which libavformat's mp4 muxer converts to length prefixes.
  p.b_repeat_headers = 0;
  p.b_annexb = 1;
  p.vui.b_fullrange = 0;
  p.vui.i_colorprim = 1;  // BT.709
  p.vui.i_transfer = 1;
  p.vui.i_colmatrix = 1;
  p.analyse.b_mb_info = 1;
  parse_options(p, s.x264_params);
  return p;
}

}  // namespace

H264Encoder::H264Encoder(int width, int height, int max_fps, const EncoderSettings& settings) {
  x264_param_t param = make_param(width, height, max_fps, settings);
  encoder_ = x264::open_encoder(param);
  x264_encoder_parameters(encoder_.get(), &param);
  base_method_ = method_ = param.analyse.i_me_method;
  base_range_ = range_ = param.analyse.i_me_range;
  info_.width = width;
  info_.height = height;
  x264_nal_t* nals = nullptr;
  int count = 0;
  if (x264_encoder_headers(encoder_.get(), &nals, &count) < 0)
    throw RecordingError("libx264 produced no stream headers");
  // SPS and PPS only: the SEI x264 adds is its version banner, which no decoder needs.
  for (int i = 0; i < count; ++i) {
    if (nals[i].i_type == NAL_SPS || nals[i].i_type == NAL_PPS)
      info_.extradata.insert(info_.extradata.end(), nals[i].p_payload,
                             nals[i].p_payload + nals[i].i_payload);
  }
}

void H264Encoder::set_search(int method, int range) {
  if (method == method_ && range == range_) return;
  x264_param_t param;
  x264_encoder_parameters(encoder_.get(), &param);
  param.analyse.i_me_method = method;
  param.analyse.i_me_range = range;
  if (x264_encoder_reconfig(encoder_.get(), &param) < 0)
    throw RecordingError("libx264 refused a motion search change");
  method_ = method;
  range_ = range;
}

EncodedFrame H264Encoder::encode(const AVFrame& picture, std::int64_t pts_ms, bool idr,
                                 const PictureHints& hints) {
  // UMH's vertical cross reaches 3/8 to 3/4 of the range (x264 me.c: half
  // the range, scaled by 3/4..3/2); 3 * |dy| + 16 covers the shift with a margin. Beyond
  // kMaxScroll the vector would leave H.264's vertical range for these levels (512).
  std::span<const std::uint8_t> changed = hints.changed;
  if (!idr && hints.scroll && std::abs(*hints.scroll) <= kMaxScroll)
    set_search(X264_ME_UMH, std::clamp(3 * std::abs(*hints.scroll) + 16, base_range_, 1024));
  else
    set_search(base_method_, base_range_);
  x264_picture_t in;
  x264_picture_init(&in);
  in.img.i_csp = X264_CSP_I420;
  in.img.i_plane = 3;
  for (int k = 0; k < 3; ++k) {
    in.img.plane[k] = picture.data[k];
    in.img.i_stride[k] = picture.linesize[k];
  }
  in.i_pts = pts_ms;
  in.i_type = idr ? X264_TYPE_IDR : X264_TYPE_AUTO;
  const std::size_t blocks = static_cast<std::size_t>(mb_columns()) * mb_rows();
  if (!idr && changed.size() == blocks) {
    std::uint8_t* info = x264::allocate_mb_info(blocks);
    for (std::size_t i = 0; i < blocks; ++i)
      info[i] = changed[i] ? 0 : X264_MBINFO_CONSTANT;
    in.prop.mb_info = info;
    in.prop.mb_info_free = &x264::mb_info_release;
  }
  x264_picture_t out;
  x264_nal_t* nals = nullptr;
  int count = 0;
  const int size = x264_encoder_encode(encoder_.get(), &nals, &count, &in, &out);
  if (size < 0) throw RecordingError("libx264 failed to encode a frame");
  if (size == 0) throw RecordingError("libx264 held a frame back (lookahead is on)");
  EncodedFrame frame;
  frame.data.reserve(static_cast<std::size_t>(size));
  for (int i = 0; i < count; ++i)
    frame.data.insert(frame.data.end(), nals[i].p_payload, nals[i].p_payload + nals[i].i_payload);
  frame.pts = out.i_pts;
  frame.keyframe = out.b_keyframe != 0;
  return frame;
}

std::string H264Encoder::codec_string() const {
  // The SPS's first three payload bytes are profile_idc, the constraint flags and level_idc.
  const std::uint8_t* x = info_.extradata.data();
  const std::size_t n = info_.extradata.size();
  for (std::size_t i = 0; i + 6 < n; ++i) {
    if (x[i] == 0 && x[i + 1] == 0 && x[i + 2] == 1 && (x[i + 3] & 0x1f) == 7) {
      return fmt::format("avc1.{:02x}{:02x}{:02x}", x[i + 4], x[i + 5], x[i + 6]);
    }
  }
  return "avc1.640028";
}

}  // namespace rdpwarden::codec
