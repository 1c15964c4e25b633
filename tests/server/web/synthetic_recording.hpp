#pragma once
// Writes a recording folder in the shape of docs/recording-format.md with synthetic fMP4 boxes
// (valid box structure and timing — moov/mdhd/trex, moof/tfhd/tfdt/trun, mdat — but no real
// H.264 in the mdat), for unit tests of the manifest reader, fragment timing, media serving
// and downloads. Browser tests use real H.264 recordings instead.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rdpwarden::test {

struct SyntheticRecording {
  std::string id;
  // Frame times (ms, session clock) per segment; each segment starts at its first frame.
  std::vector<std::vector<std::int64_t>> segments;
  std::int64_t duration_ms = 0;
  std::vector<std::string> events;  // events.jsonl lines
  bool thumbnails = false;
  bool complete = true;
};

// Creates <root>/<id>/ and returns that folder.
std::filesystem::path write_synthetic_recording(const std::filesystem::path& root,
                                                const SyntheticRecording& rec);

// Box bytes, for tests that build odd files by hand.
std::string mp4_box(std::string_view type, std::string_view payload);
std::string synthetic_init(std::uint32_t timescale);
std::string synthetic_segment(std::uint64_t base_time, const std::vector<std::uint32_t>& durations);

}  // namespace rdpwarden::test
