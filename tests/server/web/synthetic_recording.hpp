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
  // Frames (by time) written as repeat frames (20 bytes: the unchanged picture).
  std::vector<std::int64_t> repeat_frames;
  std::int64_t duration_ms = 0;
  std::vector<std::string> events;  // events.jsonl lines
  bool thumbnails = false;
  bool complete = true;
};

// Creates <root>/<id>/ and returns that folder.
std::filesystem::path write_synthetic_recording(const std::filesystem::path& root,
                                                const SyntheticRecording& rec);

// The manifest of a recording folder from what is in it (hashes and sizes are computed from the
// files): `segments` are {file, start_ms}, each running until the next one (the last one until
// `duration_ms`); `thumbs` are {t_ms, file}.
struct ManifestInput {
  std::string id;
  std::string codec = "avc1.64001f";
  int width = 1280;
  int height = 720;
  std::int64_t duration_ms = 0;
  bool complete = true;
  std::vector<std::pair<std::string, std::int64_t>> segments;
  std::vector<std::pair<std::int64_t, std::string>> thumbs;
};
void write_manifest(const std::filesystem::path& dir, const ManifestInput& input);
void write_file(const std::filesystem::path& path, const std::string& bytes);

// Box bytes, for tests that build odd files by hand.
std::string mp4_box(std::string_view type, std::string_view payload);
std::string synthetic_init(std::uint32_t timescale);
// Samples of `sizes` bytes (default 128 each: a real change; <= 96 reads as a repeat frame).
std::string synthetic_segment(std::uint64_t base_time, const std::vector<std::uint32_t>& durations,
                              const std::vector<std::uint32_t>& sizes = {});

}  // namespace rdpwarden::test
