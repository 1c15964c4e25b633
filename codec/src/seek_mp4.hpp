#pragma once
// The ISO BMFF side of seek fragments: the avcC of an init header, the samples of a segment
// (every moof + mdat, with their times, sizes and sync flags), and a new fragment made of a
// replacement first sample followed by samples copied from the segment. Input is untrusted:
// every offset and count is bounds-checked, and malformed input throws RecordingError.

#include <cstdint>
#include <span>
#include <vector>

namespace rdpwarden::codec {

struct AvcConfig {
  std::vector<std::uint8_t> record;  // the avcC payload, as a decoder's extradata
  std::vector<std::uint8_t> sps;     // first SPS NAL unit
  std::vector<std::uint8_t> pps;     // first PPS NAL unit
  int length_size = 4;               // bytes of each sample's NAL length prefix
};

struct SegmentSample {
  std::uint64_t offset = 0;  // in the segment file
  std::uint32_t size = 0;
  std::int64_t decode_time = 0;  // ms (timescale 1000)
  std::uint32_t duration = 0;
  bool sync = false;
};

struct SegmentSamples {
  std::uint32_t track_id = 1;
  std::vector<SegmentSample> samples;  // in decode order
};

// Throws RecordingError when `init` has no H.264 track with an avcC.
AvcConfig parse_init(std::span<const std::uint8_t> init);

// The samples of the complete fragments of `segment`. When `allow_torn_tail` (an open
// `.partial` file) an incomplete last fragment is ignored; otherwise it is an error.
SegmentSamples parse_segment(std::span<const std::uint8_t> segment, bool allow_torn_tail);

// One moof + mdat: `first` (a sync sample lasting `first_duration` from `first_time`) and then
// `segment`'s samples from index `from` on (non-sync unless marked sync), copied verbatim.
std::vector<std::uint8_t> write_fragment(const SegmentSamples& index,
                                         std::span<const std::uint8_t> segment,
                                         std::span<const std::uint8_t> first,
                                         std::int64_t first_time, std::uint32_t first_duration,
                                         std::size_t from, std::uint32_t sequence);

}  // namespace rdpwarden::codec
