// Encoder cost per 1080p frame (thread CPU time), for the change sizes that matter: one glyph
// cell typed, nothing changed (a repeat frame), the whole screen changed. Each with and
// without the constant-macroblock hints, on real screen content from a workload capture.
//
//   recording_encoder_bench --input CAPTURE.mkv [--preset P] [--crf N] [--x264 k=v:...]
//                           [--frames N]
// One JSON line per case on stdout.
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "h264_encoder.hpp"
#include "recording_capture.hpp"
#include "yuv_canvas.hpp"

using namespace rdpwarden;
using codec::Rect;

namespace {

constexpr int kW = bench::CaptureReader::kWidth;
constexpr int kH = bench::CaptureReader::kHeight;

double thread_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Two full frames of the capture far apart (different screens), the later one first.
std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>> two_screens(
    const std::string& file) {
  bench::CaptureReader capture(file);
  const std::size_t n = capture.times().size();
  std::vector<std::uint8_t> frame, early, late;
  for (std::size_t i = 0; i < n && capture.next(frame); ++i) {
    if (i == n / 2) early = frame;
    late = frame;
  }
  return {late, early};
}

struct Case {
  std::string name;
  bool hints = true;
};

nlohmann::ordered_json run(const Case& c, const codec::EncoderSettings& settings, int frames,
                           const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  codec::YuvCanvas canvas(kW, kH);
  codec::H264Encoder encoder(kW, kH, 10, settings);
  Rect all{0, 0, kW, kH};
  canvas.apply_patch(all, a.data(), kW * 4);
  encoder.encode(canvas.render(), 0, true, {canvas.rendered_macroblocks(), {}});
  double render_ms = 0, encode_ms = 0;
  std::uint64_t bytes = 0;
  for (int i = 1; i <= frames; ++i) {
    double t0 = thread_ms();
    if (c.name == "glyph") {
      // A 10x20 text cell along a line, its pixels taken from the other screen.
      Rect cell{200 + (i % 80) * 10, 700 + (i / 80 % 10) * 20, 10, 20};
      const std::uint8_t* src = (i % 2 ? b : a).data();
      canvas.apply_patch(cell, src + (static_cast<std::size_t>(cell.y) * kW + cell.x) * 4, kW * 4);
    } else if (c.name == "full") {
      canvas.apply_patch(all, (i % 2 ? b : a).data(), kW * 4);
    }
    const AVFrame& picture = canvas.render();
    double t1 = thread_ms();
    codec::PictureHints hints;
    if (c.hints) hints.changed = canvas.rendered_macroblocks();
    auto frame = encoder.encode(picture, i * 100, false, hints);
    double t2 = thread_ms();
    render_ms += t1 - t0;
    encode_ms += t2 - t1;
    bytes += frame.data.size();
  }
  nlohmann::ordered_json j;
  j["case"] = c.name;
  j["hints"] = c.hints;
  j["preset"] = settings.preset;
  j["crf"] = settings.crf;
  j["x264"] = settings.x264_params;
  j["frames"] = frames;
  j["render_ms_per_frame"] = render_ms / frames;
  j["encode_ms_per_frame"] = encode_ms / frames;
  j["bytes_per_frame"] = static_cast<double>(bytes) / frames;
  return j;
}

}  // namespace

int main(int argc, char** argv) try {
  std::map<std::string, std::string> kv;
  for (int i = 1; i + 1 < argc; i += 2)
    kv[argv[i]] = argv[i + 1];
  if (!kv.count("--input")) throw std::invalid_argument("--input CAPTURE.mkv is required");
  codec::EncoderSettings settings;
  if (kv.count("--preset")) settings.preset = kv["--preset"];
  if (kv.count("--crf")) settings.crf = std::stoi(kv["--crf"]);
  if (kv.count("--x264")) settings.x264_params = kv["--x264"];
  const int frames = kv.count("--frames") ? std::stoi(kv["--frames"]) : 200;
  auto [a, b] = two_screens(kv["--input"]);
  for (const Case& c : {Case{"glyph", false}, Case{"glyph", true}, Case{"repeat", false},
                        Case{"repeat", true}, Case{"full", false}, Case{"full", true}}) {
    const int n = c.name == "full" ? std::max(10, frames / 5) : frames;
    fmt::print("{}\n", run(c, settings, n, a, b).dump());
  }
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "recording_encoder_bench: {}\n", e.what());
  return 1;
}
