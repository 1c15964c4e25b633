#pragma once
// The web player benchmark's recording: one long synthetic admin session (bursts of activity
// and typing between idle stretches) made by the real codec::Recorder, cached between runs
// because it takes minutes. Shared by web_player_bench and web_player_bench_record (which makes
// it without the console, e.g. ahead of a run).

#include <filesystem>
#include <string>

namespace rdpwarden::bench {

inline constexpr const char* kPlayerBenchId = "be4c0000-0000-4000-8000-000000000001";

struct PlayerRecording {
  int minutes = 60;
  int segment_seconds = 30;
  int fps = 10;
  int width = 1920;
  int height = 1080;
  int crf = 0;  // 0: the recorder's default
};

// Applies a recording option shared by the web player benchmarks (--minutes,
// --segment-seconds, --fps, --size WxH, --crf); false when `key` is not one of them.
bool set_recording_option(PlayerRecording& recording, const std::string& key,
                          const std::string& value);

// The recordings root holding the cached recording (made first when missing); `dir` is set to
// its session folder.
std::filesystem::path ensure_player_recording(const PlayerRecording& recording,
                                              const std::filesystem::path& cache,
                                              std::filesystem::path& dir);

}  // namespace rdpwarden::bench
