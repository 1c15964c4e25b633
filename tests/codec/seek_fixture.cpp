#include "seek_fixture.hpp"
#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <rdpwarden/codec/recorder.hpp>

#include "av_handles.hpp"
#include "recording_fixture.hpp"
#include "synthetic_desktop.hpp"

namespace rdpwarden::test {

namespace {

void wait_for_encoder(codec::Recorder& rec, int frames) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (rec.counters().frames_encoded < static_cast<std::uint64_t>(std::max(frames, 0)) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

}  // namespace

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
    if (i == s.keyframe_before) {
      // Requests are not queued with frames: let the encoder catch up first, so the forced
      // keyframe lands here and not on a frame still waiting in the queue.
      wait_for_encoder(*rec, i);
      rec->request_keyframe();
    } else if (i % 128 == 0) {
      // A full queue merges updates (fewer frames than fed): keep it below 512.
      wait_for_encoder(*rec, i - 256);
    }
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

void take_frames(AVCodecContext& decoder, AVFrame& frame, AVRational tb,
                 std::vector<YuvFrame>& out) {
  while (avcodec_receive_frame(&decoder, &frame) == 0) {
    YuvFrame y;
    y.pts = av_rescale_q(frame.best_effort_timestamp, tb, AVRational{1, 1000});
    y.keyframe = frame.key_frame != 0;
    y.width = frame.width;
    y.height = frame.height;
    if (frame.format != AV_PIX_FMT_YUV420P) throw std::runtime_error("not yuv420p");
    for (int plane = 0; plane < 3; ++plane) {
      int w = plane ? y.width / 2 : y.width, h = plane ? y.height / 2 : y.height;
      for (int r = 0; r < h; ++r) {
        const std::uint8_t* row =
            frame.data[plane] + static_cast<std::ptrdiff_t>(r) * frame.linesize[plane];
        y.planes.insert(y.planes.end(), row, row + w);
      }
    }
    out.push_back(std::move(y));
  }
}

}  // namespace

std::vector<YuvFrame> decode_yuv(const std::filesystem::path& file) {
  AVFormatContext* raw = nullptr;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "use_tfdt", "1", 0);
  int rc = avformat_open_input(&raw, file.c_str(), nullptr, &opts);
  av_dict_free(&opts);
  if (rc < 0) throw std::runtime_error("cannot open " + file.string());
  codec::av::InputFormatPtr input(raw);
  if (avformat_find_stream_info(input.get(), nullptr) < 0)
    throw std::runtime_error("cannot read " + file.string());
  int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) throw std::runtime_error("no video in " + file.string());
  AVStream* st = input->streams[index];
  auto decoder = codec::av::make_codec_context(avcodec_find_decoder(st->codecpar->codec_id));
  avcodec_parameters_to_context(decoder.get(), st->codecpar);
  decoder->thread_count = 1;
  codec::av::check(avcodec_open2(decoder.get(), decoder->codec, nullptr), "open decoder");
  auto packet = codec::av::make_packet();
  auto frame = codec::av::make_frame();
  std::vector<YuvFrame> out;
  while (av_read_frame(input.get(), packet.get()) >= 0) {
    if (packet->stream_index == index) avcodec_send_packet(decoder.get(), packet.get());
    av_packet_unref(packet.get());
    take_frames(*decoder, *frame, st->time_base, out);
  }
  avcodec_send_packet(decoder.get(), nullptr);
  take_frames(*decoder, *frame, st->time_base, out);
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
