#pragma once
// A lossless screen capture made by recording_workloads.sh (x11grab -> libx264rgb qp 0, .mkv),
// read back frame by frame as BGRX with each frame's capture time. Decoding is done by the
// ffmpeg command-line tool through a pipe, timestamps come from ffprobe: the benchmark needs
// no FFmpeg API of its own.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::bench {

class CaptureReader {
 public:
  static constexpr int kWidth = 1920;
  static constexpr int kHeight = 1080;
  static constexpr std::size_t kFrameBytes = std::size_t{kWidth} * kHeight * 4;

  // Reads the timestamps and starts the decoder. Throws std::runtime_error.
  explicit CaptureReader(const std::filesystem::path& file);
  ~CaptureReader();
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  // Capture times in ms since the first frame, one per frame.
  const std::vector<codec::SessionTime>& times() const { return times_; }
  // The next frame into `bgrx` (kFrameBytes); false at the end.
  bool next(std::vector<std::uint8_t>& bgrx);

 private:
  struct PipeCloser {
    void operator()(std::FILE* f) const { pclose(f); }
  };
  std::vector<codec::SessionTime> times_;
  std::unique_ptr<std::FILE, PipeCloser> pipe_;
};

// Rectangles of `tile` x `tile` tiles that differ between two frames, merged along each row of
// tiles: what a tile-based RDP target (FreeRDP shadow, xrdp, the RDP graphics pipeline's 64x64
// tiles) reports as dirty.
std::vector<codec::Rect> dirty_tiles(const std::vector<std::uint8_t>& now,
                                     const std::vector<std::uint8_t>& before, int tile);

}  // namespace rdpwarden::bench
