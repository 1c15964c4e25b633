#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/recording_error.hpp>

#include "av_handles.hpp"
#include "av_log.hpp"
#include "chained_reader.hpp"
#include "file_io.hpp"
#include "fragment_scanner.hpp"
#include "manifest.hpp"

extern "C" {
#include <libavutil/imgutils.h>
}

namespace rdpwarden::codec {
namespace {

// Decodes the first video stream of an open input and calls `on_frame` per frame. A frame's
// duration is the distance to the next frame (libavformat's mov demuxer does not report
// fragment sample durations); the last frame lasts until `end` when known. Returns false
// when the callback asked to stop.
bool decode_stream(AVFormatContext& input, const FrameCallback& on_frame,
                   std::optional<SessionTime> end) {
  int index = av_find_best_stream(&input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  av::check(index, "find video stream");
  AVStream* stream = input.streams[index];
  auto decoder = av::make_codec_context(avcodec_find_decoder(stream->codecpar->codec_id));
  av::check(avcodec_parameters_to_context(decoder.get(), stream->codecpar), "decoder parameters");
  decoder->thread_count = 1;
  av::check(avcodec_open2(decoder.get(), decoder->codec, nullptr), "open decoder");
  auto packet = av::make_packet();
  auto frame = av::make_frame();
  av::SwsPtr sws;
  int sws_w = 0, sws_h = 0;
  DecodedFrame current, previous;
  bool have_previous = false;
  const AVRational ms{1, 1000};

  auto convert = [&](DecodedFrame& out) {
    if (!sws || sws_w != frame->width || sws_h != frame->height) {
      sws = av::make_sws(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
                         frame->width, frame->height, AV_PIX_FMT_BGR0, SWS_POINT);
      // The recorder signals BT.709 limited range; honour what the stream says.
      int cs = frame->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
      sws_setColorspaceDetails(sws.get(), sws_getCoefficients(cs),
                               frame->color_range == AVCOL_RANGE_JPEG, sws_getCoefficients(cs), 1,
                               0, 1 << 16, 1 << 16);
      sws_w = frame->width;
      sws_h = frame->height;
    }
    out.width = frame->width;
    out.height = frame->height;
    out.bgrx.resize(static_cast<std::size_t>(out.width) * out.height * 4);
    std::uint8_t* dst[4] = {out.bgrx.data(), nullptr, nullptr, nullptr};
    int dst_stride[4] = {out.width * 4, 0, 0, 0};
    sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
    out.pts = SessionTime(av_rescale_q(frame->best_effort_timestamp, stream->time_base, ms));
    out.duration = std::chrono::milliseconds(0);
    out.keyframe = frame->key_frame != 0;
  };

  auto drain = [&]() -> bool {
    while (true) {
      int rc = avcodec_receive_frame(decoder.get(), frame.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return true;
      av::check(rc, "decode frame");
      convert(current);
      av_frame_unref(frame.get());
      if (have_previous) {
        previous.duration = current.pts - previous.pts;
        if (!on_frame(previous)) return false;
      }
      std::swap(previous, current);
      have_previous = true;
    }
  };

  while (true) {
    int rc = av_read_frame(&input, packet.get());
    if (rc == AVERROR_EOF) break;
    av::check(rc, "read packet");
    if (packet->stream_index != index) {
      av_packet_unref(packet.get());
      continue;
    }
    rc = avcodec_send_packet(decoder.get(), packet.get());
    av_packet_unref(packet.get());
    av::check(rc, "send packet");
    if (!drain()) return false;
  }
  av::check(avcodec_send_packet(decoder.get(), nullptr), "flush decoder");
  if (!drain()) return false;
  if (!have_previous) return true;
  if (end && *end > previous.pts) previous.duration = *end - previous.pts;
  return on_frame(previous);
}

// Where the media of `bytes` (fMP4 fragments) ends.
std::optional<SessionTime> fragments_end(std::span<const std::uint8_t> bytes) {
  FragmentScan scan = scan_fragments(bytes);
  if (scan.fragments.empty()) return std::nullopt;
  const auto& last = scan.fragments.back();
  return SessionTime(last.decode_time + last.duration);
}

bool decode_sources(std::vector<ByteSource> sources, const FrameCallback& on_frame,
                    std::optional<SessionTime> end) {
  av::quiet_logs();
  ChainedReader reader(std::move(sources));
  auto input = reader.open();
  bool go_on = decode_stream(*input, on_frame, end);
  input.reset();  // before the reader that owns its I/O
  return go_on;
}

std::vector<DecodedFrame> collect(const std::function<void(const FrameCallback&)>& run) {
  std::vector<DecodedFrame> frames;
  run([&](const DecodedFrame& f) {
    frames.push_back(f);
    return true;
  });
  return frames;
}

}  // namespace

void FrameDecoder::decode(const std::vector<std::uint8_t>& init,
                          const std::vector<std::vector<std::uint8_t>>& segments,
                          const FrameCallback& on_frame) {
  std::vector<ByteSource> sources{ByteSource::of_memory(init)};
  for (const auto& s : segments)
    sources.push_back(ByteSource::of_memory(s));
  std::optional<SessionTime> end;
  if (!segments.empty()) end = fragments_end(segments.back());
  decode_sources(std::move(sources), on_frame, end);
}

std::vector<DecodedFrame> FrameDecoder::decode(
    const std::vector<std::uint8_t>& init, const std::vector<std::vector<std::uint8_t>>& segments) {
  return collect([&](const FrameCallback& cb) { decode(init, segments, cb); });
}

void FrameDecoder::decode_session(const std::filesystem::path& dir, const FrameCallback& on_frame,
                                  bool include_partial) {
  Manifest m = Manifest::load(dir);
  // Group segments by their init (a resize starts a new header).
  for (std::size_t i = 0; i < m.inits.size(); ++i) {
    const InitEntry& init = m.inits[i];
    std::vector<ByteSource> sources{ByteSource::of_file(dir / init.file)};
    std::optional<SessionTime> end;
    for (const auto& s : m.segments) {
      if (s.init_file != init.file) continue;
      sources.push_back(ByteSource::of_file(dir / s.file));
      end = s.start + s.duration;
    }
    if (include_partial && i + 1 == m.inits.size()) {
      int next = m.segments.empty() ? init.first_segment : m.segments.back().index + 1;
      auto partial = dir / (segment_file_name(next) + ".partial");
      if (std::filesystem::exists(partial)) {
        auto bytes = read_file(partial);
        sources.push_back(ByteSource::of_file(partial, scan_fragments(bytes).complete_bytes));
        if (auto e = fragments_end(bytes)) end = e;
      }
    }
    if (sources.size() == 1) continue;
    if (!decode_sources(std::move(sources), on_frame, end)) return;
  }
}

std::vector<DecodedFrame> FrameDecoder::decode_session(const std::filesystem::path& dir,
                                                       bool include_partial) {
  return collect([&](const FrameCallback& cb) { decode_session(dir, cb, include_partial); });
}

void FrameDecoder::decode_file(const std::filesystem::path& file, const FrameCallback& on_frame) {
  av::quiet_logs();
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, file.c_str(), nullptr, nullptr);
  if (rc < 0)
    throw RecordingError(fmt::format("cannot open {}: {}", file.string(), av::error_string(rc)));
  av::InputFormatPtr input(raw);
  av::check(avformat_find_stream_info(input.get(), nullptr), "read stream info");
  std::optional<SessionTime> end;
  if (input->duration > 0) end = SessionTime(input->duration / 1000);  // AV_TIME_BASE is µs
  decode_stream(*input, on_frame, end);
}

std::vector<DecodedFrame> FrameDecoder::decode_file(const std::filesystem::path& file) {
  return collect([&](const FrameCallback& cb) { decode_file(file, cb); });
}

const DecodedFrame* frame_at(const std::vector<DecodedFrame>& frames, SessionTime t) {
  auto it = std::upper_bound(frames.begin(), frames.end(), t,
                             [](SessionTime v, const DecodedFrame& f) { return v < f.pts; });
  return it == frames.begin() ? nullptr : &*std::prev(it);
}

}  // namespace rdpwarden::codec
