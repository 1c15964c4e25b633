#pragma once
// What a seek needs to know about a recording folder: its segments on one timeline (closed
// ones from manifest.json, plus the open `.partial` one for a live session), and per segment
// its bytes, samples and stream parameters. Everything is re-read per request, so a
// recording that grows or is recovered meanwhile is seen as it is now.

#include <filesystem>
#include <string>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

#include "h264_params.hpp"
#include "seek_mp4.hpp"

namespace rdpwarden::codec {

struct SeekSegment {
  int index = 0;
  std::string file;  // in the session folder; ends in ".partial" for the open segment
  std::string init;
  SessionTime start{0};
  SessionTime end{0};
  bool partial = false;
};

struct SeekRecording {
  std::filesystem::path dir;
  std::vector<SeekSegment> segments;  // in timeline order

  // Throws RecordingError when the manifest is missing or malformed.
  static SeekRecording load(const std::filesystem::path& dir, bool include_partial);
  // The segment showing at `t`; throws std::out_of_range outside the recording.
  const SeekSegment& at(SessionTime t) const;
};

struct StreamParams {
  AvcConfig avc;
  h264::Sps sps;
  h264::Pps pps;
};

// One segment, read and indexed.
struct LoadedSegment {
  std::filesystem::path dir;  // the recording's folder
  SeekSegment segment;
  StreamParams stream;
  std::vector<std::uint8_t> bytes;
  SegmentSamples samples;
  std::string cache_key;  // names this segment of this recording in the snapshot cache

  std::span<const std::uint8_t> sample(std::size_t i) const;
  h264::SliceHeader slice_header(std::size_t i) const;
  bool keyframe(std::size_t i) const;  // an IDR picture
  // The sample showing at `t` (the last one starting at or before it).
  std::size_t sample_at(SessionTime t) const;
};

LoadedSegment load_segment(const SeekRecording& recording, const SeekSegment& segment);

}  // namespace rdpwarden::codec
