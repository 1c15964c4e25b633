#pragma once
// Helpers for the seek tests and the seek benchmark: a recording made by the real Recorder
// from a scripted synthetic desktop (typing, scrolling, a window dragged across, an idle
// stretch), and an independent reference decoder (libavformat + libavcodec, yuv420p) that
// decodes a file exactly as a player would.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::test {

struct SeekScript {
  int width = 640;
  int height = 360;
  int frames = 300;           // frames after the first full one
  int interval_ms = 100;      // between frames
  int idle_after = 150;       // an idle stretch after this frame...
  int idle_ms = 6000;         // ...this long (a flush and a repeat frame)
  int segment_seconds = 100;  // segment_seconds * 10 fps frames per segment
  std::string x264_params;    // e.g. "cabac=0"
};

struct SeekRecordingInfo {
  std::vector<codec::SessionTime> frame_times;  // every frame fed, in order
  codec::SessionTime end{0};
  int segments = 0;
};

// Records `script` into `dir` (which must not exist) and stops the recorder.
SeekRecordingInfo record_seek_script(const std::filesystem::path& dir, const SeekScript& script);

struct YuvFrame {
  std::int64_t pts = 0;  // ms
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> planes;  // Y, U, V of the displayed (cropped) picture, packed
};

// Decodes every frame of an MP4 file (init + fragments concatenated) with FFmpeg.
std::vector<YuvFrame> decode_yuv(const std::filesystem::path& file);
// Writes `parts` one after another into `file`.
void concat_files(const std::filesystem::path& file,
                  const std::vector<std::vector<std::uint8_t>>& parts);
std::vector<std::uint8_t> read_bytes(const std::filesystem::path& file);

}  // namespace rdpwarden::test
