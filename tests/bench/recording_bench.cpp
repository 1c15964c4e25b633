// Recording benchmark: feeds the recorder real frames of an X display (ffmpeg x11grab as raw
// BGRX through a pipe, dirty rectangles from a 64x64 tile diff) on the real session clock,
// then reports size, encoder CPU and fidelity (mean SSIM of the decoded recording against the
// captured screen, sampled every second). One JSON line on stdout.
//
//   recording_bench --display :5 --seconds 60 --out DIR --name typing
//                   [--preset P] [--crf N] [--tune T] [--segment-seconds N] [--x264 k=v:...]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/recorder.hpp>

#include "image_compare.hpp"

using namespace rdpwarden;
using codec::Rect;
using codec::SessionTime;

namespace {

constexpr int kW = 1920;
constexpr int kH = 1080;
constexpr int kTile = 64;
constexpr std::size_t kFrameBytes = static_cast<std::size_t>(kW) * kH * 4;

struct Args {
  std::string display = ":0";
  int seconds = 60;
  std::string out = "/tmp/recording-bench";
  std::string name = "run";
  codec::EncoderSettings encoder;
  int segment_seconds = 30;
  int capture_fps = 20;
};

Args parse(int argc, char** argv) {
  Args a;
  std::map<std::string, std::string> kv;
  for (int i = 1; i + 1 < argc; i += 2)
    kv[argv[i]] = argv[i + 1];
  if (kv.count("--display")) a.display = kv["--display"];
  if (kv.count("--seconds")) a.seconds = std::stoi(kv["--seconds"]);
  if (kv.count("--out")) a.out = kv["--out"];
  if (kv.count("--name")) a.name = kv["--name"];
  if (kv.count("--preset")) a.encoder.preset = kv["--preset"];
  if (kv.count("--crf")) a.encoder.crf = std::stoi(kv["--crf"]);
  if (kv.count("--tune")) a.encoder.tune = kv["--tune"];
  if (kv.count("--x264")) a.encoder.x264_params = kv["--x264"];
  if (kv.count("--segment-seconds")) a.segment_seconds = std::stoi(kv["--segment-seconds"]);
  if (kv.count("--capture-fps")) a.capture_fps = std::stoi(kv["--capture-fps"]);
  return a;
}

std::vector<Rect> dirty_tiles(const std::vector<std::uint8_t>& now,
                              const std::vector<std::uint8_t>& before) {
  std::vector<Rect> rects;
  for (int ty = 0; ty < kH; ty += kTile) {
    Rect run{};
    for (int tx = 0; tx < kW; tx += kTile) {
      Rect tile{tx, ty, std::min(kTile, kW - tx), std::min(kTile, kH - ty)};
      bool changed = false;
      for (int y = tile.y; y < tile.bottom() && !changed; ++y) {
        std::size_t off = (static_cast<std::size_t>(y) * kW + tile.x) * 4;
        changed =
            std::memcmp(&now[off], &before[off], static_cast<std::size_t>(tile.width) * 4) != 0;
      }
      if (changed) {
        run = codec::bounding_union(run, tile);
      } else if (!run.empty()) {
        rects.push_back(run);
        run = {};
      }
    }
    if (!run.empty()) rects.push_back(run);
  }
  return rects;
}

struct Sample {
  SessionTime t;
  std::vector<std::uint8_t> pixels;
};

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  std::filesystem::remove_all(args.out + "/" + args.name);
  std::filesystem::create_directories(args.out);
  std::string grab = fmt::format(
      "ffmpeg -loglevel error -f x11grab -draw_mouse 0 -framerate {} -video_size {}x{} -i {} -t {} "
      "-f rawvideo -pix_fmt bgr0 -",
      args.capture_fps, kW, kH, args.display, args.seconds);
  FILE* pipe = popen(grab.c_str(), "r");
  if (!pipe) {
    fmt::print(stderr, "cannot start ffmpeg\n");
    return 1;
  }
  codec::NullRecorderObserver observer;
  codec::RecorderOptions opts;
  opts.session_dir = args.out + "/" + args.name;
  opts.session_id = args.name;
  opts.encoder = args.encoder;
  opts.segment_seconds = args.segment_seconds;
  opts.min_free_bytes = 64 << 20;
  auto recorder = codec::Recorder::start(opts, observer);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::uint8_t> frame(kFrameBytes), previous(kFrameBytes, 1);
  std::vector<Sample> samples;
  SessionTime next_sample(1000);
  std::uint64_t updates = 0;
  bool first = true;
  while (std::fread(frame.data(), 1, kFrameBytes, pipe) == kFrameBytes) {
    auto t = std::chrono::duration_cast<SessionTime>(std::chrono::steady_clock::now() - start);
    codec::FrameView view{frame.data(), kW, kH, kW * 4};
    std::vector<Rect> rects =
        first ? std::vector<Rect>{{0, 0, kW, kH}} : dirty_tiles(frame, previous);
    first = false;
    if (!rects.empty()) {
      recorder->on_frame(view, rects, t);
      ++updates;
      previous.swap(frame);
      frame = previous;  // keep `frame` a full copy of the newest picture for the samples
    }
    while (t >= next_sample) {
      samples.push_back({next_sample, previous});
      next_sample += std::chrono::seconds(1);
    }
  }
  pclose(pipe);
  auto end = std::chrono::duration_cast<SessionTime>(std::chrono::steady_clock::now() - start);
  auto summary = recorder->stop("bench", end);
  auto counters = recorder->counters();

  // Fidelity: the frame on screen in the recording at each sample time vs the capture.
  std::vector<double> ssims;
  std::size_t next = 0;
  std::vector<std::uint8_t> shown;
  int shown_w = 0, shown_h = 0;
  SessionTime shown_pts(-1);
  auto compare_until = [&](SessionTime limit) {
    while (next < samples.size() && samples[next].t < limit) {
      if (shown_pts >= SessionTime(0) && shown_w == kW && shown_h == kH) {
        codec::FrameView a{shown.data(), kW, kH, kW * 4};
        codec::FrameView b{samples[next].pixels.data(), kW, kH, kW * 4};
        ssims.push_back(test::ssim(a, b));
      }
      ++next;
    }
  };
  codec::FrameDecoder::decode_session(opts.session_dir, [&](const codec::DecodedFrame& f) {
    compare_until(f.pts);
    shown = f.bgrx;
    shown_w = f.width;
    shown_h = f.height;
    shown_pts = f.pts;
    return true;
  });
  compare_until(SessionTime::max());
  double mean = 0, worst = 1;
  for (double s : ssims) {
    mean += s;
    worst = std::min(worst, s);
  }
  if (!ssims.empty()) mean /= static_cast<double>(ssims.size());
  double minutes = static_cast<double>(end.count()) / 60000.0;
  nlohmann::ordered_json r;
  r["name"] = args.name;
  r["preset"] = args.encoder.preset;
  r["crf"] = args.encoder.crf;
  r["tune"] = args.encoder.tune;
  r["seconds"] = static_cast<double>(end.count()) / 1000.0;
  r["bytes"] = summary.bytes;
  r["kb_per_min"] = static_cast<double>(summary.bytes) / 1024.0 / minutes;
  r["cpu_s_per_min"] = static_cast<double>(counters.encoder_cpu_us) / 1e6 / minutes;
  r["ssim_mean"] = mean;
  r["ssim_min"] = worst;
  r["samples"] = ssims.size();
  r["updates"] = updates;
  r["frames"] = counters.frames_encoded;
  r["keyframes"] = counters.keyframes;
  r["segments"] = summary.segments;
  r["merged"] = counters.updates_merged;
  fmt::print("{}\n", r.dump());
  return 0;
}
