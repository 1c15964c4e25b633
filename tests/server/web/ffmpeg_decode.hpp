#pragma once
// An independent decoder for checking what the browser showed: the ffmpeg CLI decodes a
// recording folder (init + segments, concatenated) at a time and reports a pixel's colour.

#include <cstdint>
#include <filesystem>

namespace rdpwarden::test {

// The colour ffmpeg decodes at (x, y) at time t_ms (a 4x4 block averaged), as 0xRRGGBB.
// Throws std::runtime_error with ffmpeg's output when it fails.
std::uint32_t decoded_colour(const std::filesystem::path& recording_dir, std::int64_t t_ms, int x,
                             int y);

}  // namespace rdpwarden::test
