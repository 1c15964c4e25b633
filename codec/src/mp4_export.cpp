#include <fmt/format.h>

#include <rdpwarden/codec/mp4_export.hpp>
#include <rdpwarden/codec/recording_error.hpp>

#include "av_handles.hpp"
#include "av_log.hpp"
#include "chained_reader.hpp"
#include "manifest.hpp"

extern "C" {
#include <libavutil/dict.h>
#include <libavutil/mem.h>
}

namespace rdpwarden::codec {
namespace {

struct OutputFile {
  av::OutputFormatPtr format;
  bool open = false;
  ~OutputFile() {
    if (open) avio_closep(&format->pb);
  }
};

std::vector<ByteSource> sources_of(const std::filesystem::path& dir, const Manifest& m) {
  if (m.inits.empty() || m.segments.empty())
    throw RecordingError(fmt::format("{}: the recording holds no video", dir.string()));
  for (const auto& i : m.inits) {
    if (i.width != m.inits.front().width || i.height != m.inits.front().height)
      throw RecordingError(
          "the desktop was resized during this recording; exporting several sizes into one "
          "MP4 is not supported yet");
  }
  std::vector<ByteSource> sources{ByteSource::of_file(dir / m.inits.front().file)};
  for (const auto& s : m.segments)
    sources.push_back(ByteSource::of_file(dir / s.file));
  return sources;
}

}  // namespace

ExportResult export_mp4(const std::filesystem::path& dir, const std::filesystem::path& output) {
  av::quiet_logs();
  Manifest m = Manifest::load(dir);
  ChainedReader reader(sources_of(dir, m));
  auto input = reader.open();
  av::check(avformat_find_stream_info(input.get(), nullptr), "read stream info");
  int index = av::check(av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0),
                        "find video stream");
  AVStream* in_stream = input->streams[index];

  std::filesystem::path tmp = output;
  tmp += ".partial";
  OutputFile out{av::make_output_format("mp4")};
  AVStream* out_stream = avformat_new_stream(out.format.get(), nullptr);
  if (!out_stream) throw RecordingError("avformat_new_stream failed");
  av::check(avcodec_parameters_copy(out_stream->codecpar, in_stream->codecpar), "copy parameters");
  out_stream->codecpar->codec_tag = 0;
  out_stream->time_base = in_stream->time_base;
  // faststart re-opens the output by name to move the index to the front.
  out.format->url = av_strdup(tmp.c_str());
  if (!out.format->url) throw RecordingError("av_strdup failed");
  int rc = avio_open(&out.format->pb, tmp.c_str(), AVIO_FLAG_WRITE);
  if (rc < 0)
    throw RecordingError(fmt::format("cannot write {}: {}", tmp.string(), av::error_string(rc)));
  out.open = true;
  AVDictionary* options = nullptr;
  av_dict_set(&options, "movflags", "+faststart", 0);  // moov first: playable while downloading
  rc = avformat_write_header(out.format.get(), &options);
  av_dict_free(&options);
  av::check(rc, "write mp4 header");

  // libavformat's mov demuxer does not pass on fragment sample durations, so each packet's
  // duration is taken from the next packet, and the last one lasts to the session's end.
  ExportResult result;
  auto packet = av::make_packet();
  auto held = av::make_packet();
  bool holding = false;
  const AVRational ms{1, 1000};
  auto write_held = [&](std::int64_t next_dts) {
    held->duration = std::max<std::int64_t>(1, next_dts - held->dts);
    av_packet_rescale_ts(held.get(), ms, out_stream->time_base);
    result.duration = std::chrono::milliseconds(next_dts);
    ++result.frames;
    int written = av_interleaved_write_frame(out.format.get(), held.get());
    av_packet_unref(held.get());
    av::check(written, "write packet");
  };
  while ((rc = av_read_frame(input.get(), packet.get())) >= 0) {
    if (packet->stream_index != index) {
      av_packet_unref(packet.get());
      continue;
    }
    av_packet_rescale_ts(packet.get(), in_stream->time_base, ms);
    packet->stream_index = 0;
    packet->pos = -1;
    if (holding) write_held(packet->dts);
    av_packet_move_ref(held.get(), packet.get());
    holding = true;
  }
  if (rc != AVERROR_EOF) av::check(rc, "read recording");
  if (holding) write_held(std::max<std::int64_t>(m.duration_ms, held->dts + 1));
  av::check(av_write_trailer(out.format.get()), "finish mp4");
  avio_closep(&out.format->pb);
  out.open = false;
  std::filesystem::rename(tmp, output);
  result.bytes = std::filesystem::file_size(output);
  input.reset();
  return result;
}

}  // namespace rdpwarden::codec
