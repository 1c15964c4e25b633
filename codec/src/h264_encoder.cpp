#include "h264_encoder.hpp"

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

extern "C" {
#include <libavutil/opt.h>
}

namespace rdpwarden::codec {
namespace {

void set_option(AVCodecContext* ctx, const char* key, const std::string& value) {
  av::check(av_opt_set(ctx->priv_data, key, value.c_str(), 0),
            fmt::format("x264 option {}={}", key, value).c_str());
}

std::string x264_params(const EncoderSettings& s) {
  // keyint=infinite + scenecut=0: a keyframe only where we force one (segment starts, live
  // joins). Zero frame delay needs bframes=0, rc-lookahead=0, sync-lookahead=0, mbtree=0 (it
  // needs a lookahead) and force-cfr=1: with variable-frame-rate input x264 holds each frame
  // back until the next one arrives, to learn its duration, which for a screen that changes
  // rarely means seconds, and a frame lost on a crash.
  std::string p =
      "keyint=infinite:min-keyint=1:bframes=0:rc-lookahead=0:sync-lookahead=0:mbtree=0:"
      "force-cfr=1";
  p += s.scenecut ? ":scenecut=40" : ":scenecut=0";
  p += fmt::format(":qpmin={}:qpmax={}", s.qp_min, s.qp_max);
  if (!s.x264_params.empty()) p += ":" + s.x264_params;
  return p;
}

}  // namespace

H264Encoder::H264Encoder(int width, int height, int max_fps, const EncoderSettings& settings)
    : ctx_(av::make_codec_context(avcodec_find_encoder_by_name("libx264"))),
      frame_(av::make_frame()),
      packet_(av::make_packet()) {
  ctx_->width = width;
  ctx_->height = height;
  ctx_->pix_fmt = AV_PIX_FMT_YUV420P;
  ctx_->time_base = {1, 1000};
  // Without a frame rate x264 sizes the level for 1000 fps (level 6.1, which some decoders
  // refuse); the cap is the real maximum rate.
  ctx_->framerate = {max_fps, 1};
  ctx_->max_b_frames = 0;
  ctx_->thread_count = 1;  // one session, one core at most; frame threads would add delay
  ctx_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // SPS/PPS in avcC for the fMP4 init
  ctx_->color_range = AVCOL_RANGE_MPEG;
  ctx_->colorspace = AVCOL_SPC_BT709;
  ctx_->color_primaries = AVCOL_PRI_BT709;
  ctx_->color_trc = AVCOL_TRC_BT709;
  set_option(ctx_.get(), "preset", settings.preset);
  if (!settings.tune.empty()) set_option(ctx_.get(), "tune", settings.tune);
  set_option(ctx_.get(), "crf", std::to_string(settings.crf));
  set_option(ctx_.get(), "forced-idr", "1");
  set_option(ctx_.get(), "x264-params", x264_params(settings));
  av::check(avcodec_open2(ctx_.get(), ctx_->codec, nullptr), "open libx264");
}

EncodedFrame H264Encoder::encode(const AVFrame& picture, std::int64_t pts_ms, bool idr) {
  av::check(av_frame_ref(frame_.get(), &picture), "av_frame_ref");
  frame_->pts = pts_ms;
  frame_->pict_type = idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  int sent = avcodec_send_frame(ctx_.get(), frame_.get());
  av_frame_unref(frame_.get());
  av::check(sent, "encode frame");
  EncodedFrame out;
  int rc = avcodec_receive_packet(ctx_.get(), packet_.get());
  if (rc == AVERROR(EAGAIN)) throw RecordingError("libx264 held a frame back (lookahead is on)");
  av::check(rc, "receive packet");
  out.data.assign(packet_->data, packet_->data + packet_->size);
  out.pts = packet_->pts;
  out.keyframe = (packet_->flags & AV_PKT_FLAG_KEY) != 0;
  av_packet_unref(packet_.get());
  return out;
}

std::string H264Encoder::codec_string() const {
  // libx264 writes the SPS and PPS as Annex B NAL units; the SPS's first three payload bytes
  // are profile_idc, the constraint flags and level_idc.
  const std::uint8_t* x = ctx_->extradata;
  const int n = ctx_->extradata_size;
  for (int i = 0; i + 6 < n; ++i) {
    if (x[i] == 0 && x[i + 1] == 0 && x[i + 2] == 1 && (x[i + 3] & 0x1f) == 7) {
      return fmt::format("avc1.{:02x}{:02x}{:02x}", x[i + 4], x[i + 5], x[i + 6]);
    }
  }
  return "avc1.640028";
}

}  // namespace rdpwarden::codec
