#include "fmp4_muxer.hpp"

#include <rdpwarden/codec/recording_error.hpp>

extern "C" {
#include <libavutil/dict.h>
}

namespace rdpwarden::codec {

int Fmp4Muxer::write_callback(void* opaque, std::uint8_t* data, int size) {
  auto* self = static_cast<Fmp4Muxer*>(opaque);
  self->out_.insert(self->out_.end(), data, data + size);
  return size;
}

Fmp4Muxer::Fmp4Muxer(const StreamInfo& info)
    : io_(av::make_io_context(true, this, nullptr, &Fmp4Muxer::write_callback, nullptr)),
      format_(av::make_output_format("mp4")),
      packet_(av::make_packet()) {
  format_->pb = io_.get();
  format_->flags |= AVFMT_FLAG_CUSTOM_IO;
  AVStream* stream = avformat_new_stream(format_.get(), nullptr);
  if (!stream) throw RecordingError("avformat_new_stream failed");
  AVCodecParameters& par = *stream->codecpar;
  par.codec_type = AVMEDIA_TYPE_VIDEO;
  par.codec_id = AV_CODEC_ID_H264;
  par.format = AV_PIX_FMT_YUV420P;
  par.width = info.width;
  par.height = info.height;
  par.color_range = AVCOL_RANGE_MPEG;
  par.color_space = AVCOL_SPC_BT709;
  par.color_primaries = AVCOL_PRI_BT709;
  par.color_trc = AVCOL_TRC_BT709;
  par.extradata =
      static_cast<std::uint8_t*>(av_mallocz(info.extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
  if (!par.extradata) throw RecordingError("out of memory for the stream header");
  std::copy(info.extradata.begin(), info.extradata.end(), par.extradata);
  par.extradata_size = static_cast<int>(info.extradata.size());
  stream->time_base = {1, 1000};
  AVDictionary* options = nullptr;
  // frag_custom: a fragment ends only when we say so (flush()). skip_trailer: no mfra box
  // appended to the last segment.
  // frag_discont + use_editlist: the first fragment's decode time is its first sample's
  // session time. Without them libavformat shifts a fragmented track to start at 0, which
  // would put a segment after a resize (or a live fragment) at the wrong time.
  av_dict_set(&options, "movflags",
              "+empty_moov+default_base_moof+frag_custom+skip_trailer+omit_tfhd_offset+"
              "frag_discont",
              0);
  av_dict_set(&options, "use_editlist", "1", 0);
  // Keep the track timescale at 1000 (session milliseconds); by default the muxer raises a
  // video timescale to at least 10000.
  av_dict_set(&options, "video_track_timescale", "1000", 0);
  int rc = avformat_write_header(format_.get(), &options);
  av_dict_free(&options);
  av::check(rc, "write mp4 header");
  if (stream->time_base.num != 1 || stream->time_base.den != 1000)
    throw RecordingError("mp4 muxer did not keep the 1/1000 time base");
  avio_flush(format_->pb);
  init_.swap(out_);
  out_.clear();
}

Fmp4Muxer::~Fmp4Muxer() {
  // Lets libavformat release its fragment buffers; skip_trailer keeps it from writing boxes.
  if (format_) av_write_trailer(format_.get());
}

void Fmp4Muxer::add(const EncodedFrame& frame, std::int64_t duration_ms) {
  av::check(av_new_packet(packet_.get(), static_cast<int>(frame.data.size())), "av_new_packet");
  std::copy(frame.data.begin(), frame.data.end(), packet_->data);
  packet_->pts = frame.pts;
  packet_->dts = frame.pts;
  packet_->duration = duration_ms;
  packet_->stream_index = 0;
  if (frame.keyframe) packet_->flags |= AV_PKT_FLAG_KEY;
  int rc = av_write_frame(format_.get(), packet_.get());
  av_packet_unref(packet_.get());
  av::check(rc, "mux frame");
  ++samples_in_fragment_;
}

std::vector<std::uint8_t> Fmp4Muxer::flush() {
  if (samples_in_fragment_ == 0) return {};
  av::check(av_write_frame(format_.get(), nullptr), "flush fragment");
  avio_flush(format_->pb);
  samples_in_fragment_ = 0;
  std::vector<std::uint8_t> fragment;
  fragment.swap(out_);
  return fragment;
}

}  // namespace rdpwarden::codec
