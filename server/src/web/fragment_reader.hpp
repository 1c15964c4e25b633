#pragma once
// Reads frame times from a recording's CMAF files without decoding anything: the init's track
// timescale and default sample duration (moov/trak/mdia/mdhd, moov/mvex/trex), then each
// segment's fragment headers (moof/traf/tfhd, tfdt, trun). mdat payloads are skipped by size,
// never read. The files are our own, but are parsed defensively anyway: every length is
// checked against what remains, and a malformed file yields an error, not a crash.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rdpwarden::server::web {

struct TrackTiming {
  std::uint32_t timescale = 1000;
  std::uint32_t default_sample_duration = 0;
  std::uint32_t default_sample_size = 0;
};

struct Sample {
  std::int64_t t_ms = 0;    // decode time (= presentation time: the recorder writes no B-frames)
  std::uint32_t bytes = 0;  // coded size
};

// nullopt (and `problem` set) when the init cannot be read or has no video track timing.
std::optional<TrackTiming> read_track_timing(const std::filesystem::path& init,
                                             std::string& problem);

// Every sample in `segment`, in file order.
std::optional<std::vector<Sample>> read_samples(const std::filesystem::path& segment,
                                                const TrackTiming& timing, std::string& problem);

}  // namespace rdpwarden::server::web
