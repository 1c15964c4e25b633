#include "seek_decoder.hpp"
#include <cstring>

#include <rdpwarden/codec/recording_error.hpp>

#include "av_log.hpp"

extern "C" {
#include <libavutil/mem.h>
}

namespace rdpwarden::codec {

SeekDecoder::SeekDecoder(std::span<const std::uint8_t> avcc, int width_mbs, int height_mbs)
    : context_(av::make_codec_context(avcodec_find_decoder(AV_CODEC_ID_H264))),
      packet_(av::make_packet()),
      frame_(av::make_frame()),
      width_(width_mbs * 16),
      height_(height_mbs * 16) {
  av::quiet_logs();
  auto* extradata =
      static_cast<std::uint8_t*>(av_mallocz(avcc.size() + AV_INPUT_BUFFER_PADDING_SIZE));
  if (!extradata) throw RecordingError("out of memory for the decoder");
  std::memcpy(extradata, avcc.data(), avcc.size());
  context_->extradata = extradata;  // owned by the context from here on
  context_->extradata_size = static_cast<int>(avcc.size());
  context_->thread_count = 1;
  // Every picture out as soon as its sample is in (no B-frames in a recording).
  context_->flags |= AV_CODEC_FLAG_LOW_DELAY;
  // The coded picture, not the cropped one: its padding rows are part of the reference.
  context_->apply_cropping = 0;
  // A damaged sample fails instead of being concealed.
  context_->err_recognition = AV_EF_EXPLODE | AV_EF_BITSTREAM | AV_EF_BUFFER;
  av::check(avcodec_open2(context_.get(), context_->codec, nullptr), "open H.264 decoder");
}

void SeekDecoder::decode(std::span<const std::uint8_t> sample) {
  // av_packet_from_data needs padded, av_malloc'ed memory: copy into a packet buffer.
  av_packet_unref(packet_.get());
  av::check(av_new_packet(packet_.get(), static_cast<int>(sample.size())), "allocate packet");
  std::memcpy(packet_->data, sample.data(), sample.size());
  av::check(avcodec_send_packet(context_.get(), packet_.get()), "decode sample");
  int rc = avcodec_receive_frame(context_.get(), frame_.get());
  if (rc == AVERROR(EAGAIN)) throw RecordingError("decode sample: the decoder held a picture back");
  av::check(rc, "decode sample");
  if (frame_->format != AV_PIX_FMT_YUV420P || frame_->width != width_ ||
      frame_->height != height_ || frame_->decode_error_flags != 0)
    throw RecordingError("decode sample: unexpected picture format or a damaged picture");
  have_frame_ = true;
}

h264::PlanarPicture SeekDecoder::picture() const {
  if (!have_frame_) throw RecordingError("no picture decoded yet");
  h264::PlanarPicture p;
  p.width = width_;
  p.height = height_;
  p.planes.resize(p.size());
  std::uint8_t* out = p.planes.data();
  for (int plane = 0; plane < 3; ++plane) {
    const int w = plane == 0 ? width_ : width_ / 2;
    const int h = plane == 0 ? height_ : height_ / 2;
    for (int row = 0; row < h; ++row, out += w)
      std::memcpy(out,
                  frame_->data[plane] + static_cast<std::ptrdiff_t>(row) * frame_->linesize[plane],
                  static_cast<std::size_t>(w));
  }
  return p;
}

}  // namespace rdpwarden::codec
