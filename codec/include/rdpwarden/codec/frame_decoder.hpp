#pragma once
// Decodes a recording back to pixels: for tests, the benchmark, thumbnails and the gateway.

#include <cstdint>
#include <filesystem>
#include <functional>
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

// Called for each decoded frame in presentation order; return false to stop early. The
// frame's pixels are only valid during the call.
using FrameCallback = std::function<bool(const DecodedFrame&)>;

class FrameDecoder {
 public:
  // Decodes `init` followed by `segments` (fMP4 bytes). Throws RecordingError on malformed
  // input.
  static void decode(const std::vector<std::uint8_t>& init,
                     const std::vector<std::vector<std::uint8_t>>& segments,
                     const FrameCallback& on_frame);
  static std::vector<DecodedFrame> decode(const std::vector<std::uint8_t>& init,
                                          const std::vector<std::vector<std::uint8_t>>& segments);

  // Decodes a session folder in manifest order, every init, plus the complete fragments of
  // a `.partial` segment when `include_partial`. Throws RecordingError.
  static void decode_session(const std::filesystem::path& session_dir,
                             const FrameCallback& on_frame, bool include_partial = false);
  static std::vector<DecodedFrame> decode_session(const std::filesystem::path& session_dir,
                                                  bool include_partial = false);

  // Decodes any file libavformat can open (e.g. an exported .mp4). Throws RecordingError.
  static void decode_file(const std::filesystem::path& file, const FrameCallback& on_frame);
  static std::vector<DecodedFrame> decode_file(const std::filesystem::path& file);
};

// The frame showing at `t`: the last with pts <= t (nullptr when t precedes the first frame).
const DecodedFrame* frame_at(const std::vector<DecodedFrame>& frames, SessionTime t);

}  // namespace rdpwarden::codec
