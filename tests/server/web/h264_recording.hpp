#pragma once
// Real H.264 recordings in the format of docs/recording-format.md, made with the ffmpeg CLI
// (until tests can use the recorder through a real gateway session): a flat background whose
// hue changes every `hue_period_ms` plus a moving test pattern, frames dropped inside the idle
// stretches (so the previous frame stays on screen, as the recorder does), a keyframe (and a new
// segment) every `segment_ms`, split into init.mp4 + seg-NNNNNN.m4s at fragment boundaries.
// Thumbnails every 10 s. Throws std::runtime_error with ffmpeg's output when it fails.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace rdpwarden::test {

struct H264RecordingSpec {
  std::string id;
  int width = 640;
  int height = 360;
  int fps = 10;
  std::int64_t duration_ms = 60000;
  std::int64_t segment_ms = 10000;
  std::int64_t hue_period_ms = 10000;
  std::vector<std::pair<std::int64_t, std::int64_t>> idle;  // [from, to) without new frames
  std::vector<std::string> events;                          // events.jsonl lines
  bool thumbnails = true;
};

struct H264Recording {
  std::filesystem::path dir;
  std::string codec;  // e.g. avc1.640016
  std::vector<std::int64_t> segment_starts_ms;
  std::uintmax_t bytes = 0;  // all media files
};

H264Recording make_h264_recording(const std::filesystem::path& root, const H264RecordingSpec& spec);

// The colour ffmpeg decodes at (x, y) at time t_ms (a 4x4 block averaged), as 0xRRGGBB.
std::uint32_t decoded_colour(const std::filesystem::path& recording_dir, std::int64_t t_ms, int x,
                             int y);

}  // namespace rdpwarden::test
