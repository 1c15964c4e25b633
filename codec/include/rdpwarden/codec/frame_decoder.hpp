#pragma once
// Decodes a recording back to pixels: for tests, the benchmark, thumbnails and the gateway.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

struct DecodedFrame {
  SessionTime pts{0};
  std::chrono::milliseconds duration{0};  // from the container (0 when unknown)
  bool keyframe = false;
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> bgrx;  // width * 4 bytes per row

  FrameView view() const { return {bgrx.data(), width, height, width * 4}; }
};

class FrameDecoder {
 public:
  FrameDecoder();
  ~FrameDecoder();
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;

  // Decodes `init` followed by `segments` (fMP4 bytes) and returns every frame in order.
  // Throws RecordingError on malformed input.
  std::vector<DecodedFrame> decode(const std::vector<std::uint8_t>& init,
                                   const std::vector<std::vector<std::uint8_t>>& segments);

  // Decodes a whole session folder (manifest order, every init), plus the `.partial` segment
  // when `include_partial` (its complete fragments). Throws RecordingError.
  static std::vector<DecodedFrame> decode_session(const std::filesystem::path& session_dir,
                                                  bool include_partial = false);

  // Decodes any file libavformat can open (e.g. an exported .mp4). Throws RecordingError.
  static std::vector<DecodedFrame> decode_file(const std::filesystem::path& file);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The frame showing at `t`: the last with pts <= t (nullptr when t precedes the first frame).
const DecodedFrame* frame_at(const std::vector<DecodedFrame>& frames, SessionTime t);

}  // namespace rdpwarden::codec
