#pragma once
// `rdpwarden export SESSION --mp4 FILE`: the recording as one standard MP4 (remuxed, never
// re-encoded) that ffprobe and browsers play, with the session's full duration.

#include <chrono>
#include <filesystem>

namespace rdpwarden::codec {

struct ExportResult {
  std::chrono::milliseconds duration{0};
  int frames = 0;
  std::uint64_t bytes = 0;
};

// Reads the session folder (manifest order; an interrupted recording's segments too), writes
// `output` under a temporary name and renames it. Throws RecordingError with one line.
ExportResult export_mp4(const std::filesystem::path& session_dir,
                        const std::filesystem::path& output);

}  // namespace rdpwarden::codec
