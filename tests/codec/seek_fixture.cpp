#include "seek_fixture.hpp"
#include <cstring>
#include <fstream>
#include <stdexcept>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <rdpwarden/codec/recorder.hpp>

#include "recording_fixture.hpp"
#include "synthetic_desktop.hpp"

namespace rdpwarden::test {

SeekRecordingInfo record_seek_script(const std::filesystem::path& dir, const SeekScript& s) {
  CollectingObserver observer;
  SyntheticDesktop desk(s.width, s.height);
  auto opts = test_options(dir);
  opts.segment_seconds = s.segment_seconds;
  opts.segment_max_seconds = 0;
  opts.encoder.x264_params = s.x264_params;
  auto rec = codec::Recorder::start(opts, observer);
  SeekRecordingInfo info;
  codec::Rect all{0, 0, s.width, s.height};
  rec->on_frame(desk.view(), {&all, 1}, codec::SessionTime(0));
  info.frame_times.push_back(codec::SessionTime(0));
  std::int64_t t = 0;
  codec::Rect box{40, 60, 48, 32};
  const int cols = (s.width - 48) / 8, rows = (s.height - 48) / 16;
  for (int i = 1; i <= s.frames; ++i) {
    t += s.interval_ms + (i == s.idle_after + 1 ? s.idle_ms : 0);
    codec::Rect dirty[3];
    int n = 0;
    // Typing, a scroll every 40 frames, and a coloured window dragged across the screen.
    dirty[n++] = desk.type_char(i % cols, (i / cols) % rows, static_cast<char>('!' + i % 90));
    if (i % 40 == 0) dirty[n++] = desk.scroll(1);
    codec::Rect old = box;
    desk.fill(old, 250, 250, 250);
    box.x = 40 + (i * 7) % (s.width - 140);
    box.y = 60 + (i * 3) % (s.height - 120);
    dirty[n++] = codec::bounding_union(old, desk.fill(box, static_cast<std::uint8_t>(i * 5), 90,
                                                      static_cast<std::uint8_t>(200 - i % 100)));
    rec->on_frame(desk.view(), {dirty, static_cast<std::size_t>(n)}, codec::SessionTime(t));
    info.frame_times.push_back(codec::SessionTime(t));
  }
  info.end = codec::SessionTime(t + 2000);
  rec->stop("end", info.end);
  if (!observer.failures.empty()) throw std::runtime_error(observer.failures.front().message);
  info.segments = static_cast<int>(observer.segments.size());
  return info;
}

namespace {

struct Input {
  AVFormatContext* f = nullptr;
  ~Input() { avformat_close_input(&f); }
};
struct Decoder {
  AVCodecContext* c = nullptr;
  AVPacket* p = av_packet_alloc();
  AVFrame* fr = av_frame_alloc();
  ~Decoder() {
    avcodec_free_context(&c);
    av_packet_free(&p);
    av_frame_free(&fr);
  }
};

void take_frames(Decoder& d, AVRational tb, std::vector<YuvFrame>& out) {
  while (avcodec_receive_frame(d.c, d.fr) == 0) {
    YuvFrame y;
    y.pts = av_rescale_q(d.fr->best_effort_timestamp, tb, AVRational{1, 1000});
    y.width = d.fr->width;
    y.height = d.fr->height;
    if (d.fr->format != AV_PIX_FMT_YUV420P) throw std::runtime_error("not yuv420p");
    for (int plane = 0; plane < 3; ++plane) {
      int w = plane ? y.width / 2 : y.width, h = plane ? y.height / 2 : y.height;
      for (int r = 0; r < h; ++r) {
        const std::uint8_t* row =
            d.fr->data[plane] + static_cast<std::ptrdiff_t>(r) * d.fr->linesize[plane];
        y.planes.insert(y.planes.end(), row, row + w);
      }
    }
    out.push_back(std::move(y));
  }
}

}  // namespace

std::vector<YuvFrame> decode_yuv(const std::filesystem::path& file) {
  Input in;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "use_tfdt", "1", 0);
  int rc = avformat_open_input(&in.f, file.c_str(), nullptr, &opts);
  av_dict_free(&opts);
  if (rc < 0 || avformat_find_stream_info(in.f, nullptr) < 0)
    throw std::runtime_error("cannot open " + file.string());
  int index = av_find_best_stream(in.f, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) throw std::runtime_error("no video in " + file.string());
  AVStream* st = in.f->streams[index];
  Decoder d;
  d.c = avcodec_alloc_context3(avcodec_find_decoder(st->codecpar->codec_id));
  avcodec_parameters_to_context(d.c, st->codecpar);
  d.c->thread_count = 1;
  if (avcodec_open2(d.c, d.c->codec, nullptr) < 0) throw std::runtime_error("decoder");
  std::vector<YuvFrame> out;
  while (av_read_frame(in.f, d.p) >= 0) {
    if (d.p->stream_index == index) avcodec_send_packet(d.c, d.p);
    av_packet_unref(d.p);
    take_frames(d, st->time_base, out);
  }
  avcodec_send_packet(d.c, nullptr);
  take_frames(d, st->time_base, out);
  return out;
}

void concat_files(const std::filesystem::path& file,
                  const std::vector<std::vector<std::uint8_t>>& parts) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  for (const auto& p : parts)
    out.write(reinterpret_cast<const char*>(p.data()), static_cast<std::streamsize>(p.size()));
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace rdpwarden::test
