// Recording benchmark, phase 2: replays a lossless workload capture (recording_workloads.sh)
// into the real codec::Recorder on the capture's own clock, then reports size, encoder CPU and
// fidelity (recording_fidelity.hpp). One JSON line on stdout.
//
//   recording_bench --input CAPTURE.mkv --out DIR --name NAME
//                   [--preset P] [--crf N] [--tune T] [--x264 k=v:...] [--segment-seconds N]
//                   [--max-fps N] [--tile N] [--settle-ms N] [--fidelity 0]
//   --fidelity 0 skips the SSIM pass (for quick size/CPU sweeps; ssim fields are then 0).
//
// Replay: each capture frame is handed over as on_frame() with the dirty tiles against the
// previous frame (an unchanged frame as an empty update, which only advances the clock); the
// recorder's clock is the capture time of the frame being replayed, and the next frame waits
// until the recorder has taken the previous one, so no update is merged for lack of CPU.
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recorder.hpp>

#include "recording_capture.hpp"
#include "recording_fidelity.hpp"

using namespace rdpwarden;
using codec::Rect;
using codec::SessionTime;

namespace {

struct Args {
  std::string input;
  std::string out = "/tmp/recording-bench";
  std::string name = "run";
  codec::EncoderSettings encoder;
  // The recorder's own defaults unless overridden: the table's "default" row is what ships.
  int segment_seconds = codec::RecorderOptions{}.segment_seconds;
  int max_fps = codec::RecorderOptions{}.max_fps;
  int tile = 64;
  int settle_ms = 200;
  int fidelity = 1;
};

Args parse(int argc, char** argv) {
  Args a;
  std::map<std::string, std::string> kv;
  for (int i = 1; i + 1 < argc; i += 2)
    kv[argv[i]] = argv[i + 1];
  auto num = [&](const char* key, int& field) {
    if (kv.count(key)) field = std::stoi(kv[key]);
  };
  if (kv.count("--input")) a.input = kv["--input"];
  if (kv.count("--out")) a.out = kv["--out"];
  if (kv.count("--name")) a.name = kv["--name"];
  if (kv.count("--preset")) a.encoder.preset = kv["--preset"];
  if (kv.count("--tune")) a.encoder.tune = kv["--tune"];
  if (kv.count("--x264")) a.encoder.x264_params = kv["--x264"];
  num("--crf", a.encoder.crf);
  num("--segment-seconds", a.segment_seconds);
  num("--max-fps", a.max_fps);
  num("--tile", a.tile);
  num("--settle-ms", a.settle_ms);
  num("--fidelity", a.fidelity);
  if (a.input.empty()) throw std::invalid_argument("--input CAPTURE.mkv is required");
  return a;
}

struct Replay {
  std::vector<bool> changed;
  SessionTime end{0};
  std::uint64_t updates = 0;
};

Replay replay(const Args& args, codec::Recorder& recorder, std::atomic<std::int64_t>& clock) {
  constexpr int kW = bench::CaptureReader::kWidth;
  constexpr int kH = bench::CaptureReader::kHeight;
  bench::CaptureReader capture(args.input);
  const auto& times = capture.times();
  Replay r;
  std::vector<std::uint8_t> frame, previous;
  for (std::size_t i = 0; i < times.size() && capture.next(frame); ++i) {
    const SessionTime t = times[i];
    clock = t.count();
    std::vector<Rect> rects =
        i == 0 ? std::vector<Rect>{{0, 0, kW, kH}} : bench::dirty_tiles(frame, previous, args.tile);
    r.changed.push_back(!rects.empty());
    r.updates += rects.empty() ? 0 : 1;
    recorder.on_frame({frame.data(), kW, kH, kW * 4}, rects, t);
    while (recorder.counters().queue_depth > 0)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    previous.swap(frame);
    r.end = t + std::chrono::milliseconds(50);
  }
  clock = r.end.count();
  return r;
}

}  // namespace

int main(int argc, char** argv) try {
  Args args = parse(argc, argv);
  const std::filesystem::path dir = std::filesystem::path(args.out) / args.name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(args.out);
  std::atomic<std::int64_t> clock{0};
  codec::NullRecorderObserver observer;
  codec::RecorderOptions opts;
  opts.session_dir = dir;
  opts.session_id = args.name;
  opts.encoder = args.encoder;
  opts.segment_seconds = args.segment_seconds;
  opts.max_fps = args.max_fps;
  opts.min_free_bytes = 64 << 20;
  opts.clock = [&clock] { return SessionTime(clock.load()); };
  auto recorder = codec::Recorder::start(opts, observer);
  Replay r = replay(args, *recorder, clock);
  auto summary = recorder->stop("bench", r.end);
  auto counters = recorder->counters();
  bench::Fidelity fidelity{0, 0, 0, 0, 0, 0};
  if (args.fidelity)
    fidelity = bench::measure_fidelity(args.input, dir, r.changed,
                                       std::chrono::milliseconds(args.settle_ms));

  const double minutes = static_cast<double>(r.end.count()) / 60000.0;
  const double cpu_s = static_cast<double>(counters.encoder_cpu_us) / 1e6;
  nlohmann::ordered_json j;
  j["name"] = args.name;
  j["preset"] = args.encoder.preset;
  j["crf"] = args.encoder.crf;
  j["x264"] = args.encoder.x264_params;
  j["max_fps"] = args.max_fps;
  j["seconds"] = static_cast<double>(r.end.count()) / 1000.0;
  j["bytes"] = summary.bytes;
  j["kb_per_min"] = static_cast<double>(summary.bytes) / 1024.0 / minutes;
  j["cpu_s_per_min"] = cpu_s / minutes;
  j["ms_per_frame"] =
      counters.frames_encoded ? cpu_s * 1000.0 / static_cast<double>(counters.frames_encoded) : 0;
  j["ssim_mean"] = fidelity.mean;
  j["ssim_min"] = fidelity.min;
  j["samples"] = fidelity.samples;
  j["ssim_settled_mean"] = fidelity.settled_mean;
  j["ssim_settled_min"] = fidelity.settled_min;
  j["settled_samples"] = fidelity.settled_samples;
  j["updates"] = r.updates;
  j["frames"] = counters.frames_encoded;
  j["keyframes"] = counters.keyframes;
  j["segments"] = summary.segments;
  j["merged"] = counters.updates_merged;
  fmt::print("{}\n", j.dump());
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "recording_bench: {}\n", e.what());
  return 1;
}
