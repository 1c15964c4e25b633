#pragma once
// Reads the timing of fMP4 fragments (moof + mdat) without libavformat: recovery needs to
// know where the last complete fragment of a torn `.partial` file ends and when it ends in
// media time. Everything read is treated as untrusted (bounds-checked, never asserted).

#include <cstdint>
#include <span>
#include <vector>

namespace rdpwarden::codec {

struct FragmentInfo {
  std::uint64_t offset = 0;      // of the moof
  std::uint64_t size = 0;        // moof + mdat
  std::int64_t decode_time = 0;  // tfdt, in the track timescale (ms)
  std::int64_t duration = 0;     // sum of the sample durations
  int samples = 0;
};

struct FragmentScan {
  std::vector<FragmentInfo> fragments;  // complete ones, in file order
  std::uint64_t complete_bytes = 0;     // end of the last complete fragment
  std::uint64_t leading_bytes = 0;      // boxes before the first moof (styp, sidx), if any
};

FragmentScan scan_fragments(std::span<const std::uint8_t> data);

}  // namespace rdpwarden::codec
