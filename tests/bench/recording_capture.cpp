#include "recording_capture.hpp"
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace rdpwarden::bench {
namespace {

std::string quoted(const std::filesystem::path& p) {
  std::string out = "'";
  for (char c : p.string())
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<codec::SessionTime> read_times(const std::filesystem::path& file) {
  std::string cmd = fmt::format(
      "ffprobe -v error -select_streams v:0 -show_entries packet=pts_time -of csv=p=0 {}",
      quoted(file));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) throw std::runtime_error("cannot run ffprobe");
  std::vector<double> seconds;
  char line[128];
  while (std::fgets(line, sizeof line, p.get()))
    seconds.push_back(std::strtod(line, nullptr));
  if (seconds.empty()) throw std::runtime_error("no frames in " + file.string());
  std::vector<codec::SessionTime> times;
  for (double s : seconds)
    times.emplace_back(std::llround((s - seconds.front()) * 1000.0));
  return times;
}

}  // namespace

CaptureReader::CaptureReader(const std::filesystem::path& file) : times_(read_times(file)) {
  std::string cmd = fmt::format(
      "ffmpeg -nostdin -loglevel error -i {} -f rawvideo -pix_fmt bgr0 -vsync passthrough -",
      quoted(file));
  pipe_.reset(popen(cmd.c_str(), "r"));
  if (!pipe_) throw std::runtime_error("cannot run ffmpeg");
}

CaptureReader::~CaptureReader() = default;

bool CaptureReader::next(std::vector<std::uint8_t>& bgrx) {
  bgrx.resize(kFrameBytes);
  return std::fread(bgrx.data(), 1, kFrameBytes, pipe_.get()) == kFrameBytes;
}

std::vector<codec::Rect> dirty_tiles(const std::vector<std::uint8_t>& now,
                                     const std::vector<std::uint8_t>& before, int tile) {
  constexpr int kW = CaptureReader::kWidth;
  constexpr int kH = CaptureReader::kHeight;
  std::vector<codec::Rect> rects;
  for (int ty = 0; ty < kH; ty += tile) {
    codec::Rect run{};
    for (int tx = 0; tx < kW; tx += tile) {
      codec::Rect t{tx, ty, std::min(tile, kW - tx), std::min(tile, kH - ty)};
      bool changed = false;
      for (int y = t.y; y < t.bottom() && !changed; ++y) {
        std::size_t off = (static_cast<std::size_t>(y) * kW + t.x) * 4;
        changed = std::memcmp(&now[off], &before[off], static_cast<std::size_t>(t.width) * 4) != 0;
      }
      if (changed) {
        run = codec::bounding_union(run, t);
      } else if (!run.empty()) {
        rects.push_back(run);
        run = {};
      }
    }
    if (!run.empty()) rects.push_back(run);
  }
  return rects;
}

}  // namespace rdpwarden::bench
