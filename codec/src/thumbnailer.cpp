#include "thumbnailer.hpp"
#include <algorithm>

namespace rdpwarden::codec {

Thumbnailer::Thumbnailer(int src_w, int src_h, int width)
    : width_(std::max(16, width & ~1)),
      height_(std::max(16, (src_h * width_ / std::max(1, src_w)) & ~1)),
      sws_(av::make_sws(src_w, src_h, AV_PIX_FMT_YUV420P, width_, height_, AV_PIX_FMT_YUVJ420P,
                        SWS_AREA)),
      small_(av::make_video_frame(AV_PIX_FMT_YUVJ420P, width_, height_)),
      jpeg_(av::make_codec_context(avcodec_find_encoder(AV_CODEC_ID_MJPEG))),
      packet_(av::make_packet()) {
  jpeg_->width = width_;
  jpeg_->height = height_;
  jpeg_->pix_fmt = AV_PIX_FMT_YUVJ420P;
  jpeg_->time_base = {1, 1000};
  jpeg_->flags |= AV_CODEC_FLAG_QSCALE;
  jpeg_->global_quality = FF_QP2LAMBDA * 5;
  jpeg_->thread_count = 1;
  av::check(avcodec_open2(jpeg_.get(), jpeg_->codec, nullptr), "open mjpeg");
}

std::vector<std::uint8_t> Thumbnailer::jpeg(const AVFrame& picture) {
  sws_scale(sws_.get(), picture.data, picture.linesize, 0, picture.height, small_->data,
            small_->linesize);
  small_->pts = next_pts_++;  // the mjpeg encoder wants increasing timestamps
  small_->quality = jpeg_->global_quality;
  av::check(avcodec_send_frame(jpeg_.get(), small_.get()), "encode thumbnail");
  av::check(avcodec_receive_packet(jpeg_.get(), packet_.get()), "receive thumbnail");
  std::vector<std::uint8_t> out(packet_->data, packet_->data + packet_->size);
  av_packet_unref(packet_.get());
  return out;
}

}  // namespace rdpwarden::codec
