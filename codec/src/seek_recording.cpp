#include "seek_recording.hpp"
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

#include "file_io.hpp"
#include "manifest.hpp"

namespace rdpwarden::codec {
namespace {

// The open segment after the manifest's last one, when its file exists and holds at least
// one complete fragment.
void add_partial(const std::filesystem::path& dir, const Manifest& m, SeekRecording& r) {
  int next = m.segments.empty() ? (m.inits.empty() ? 1 : m.inits.front().first_segment)
                                : m.segments.back().index + 1;
  const InitEntry* init = m.init_for(next);
  auto file = segment_file_name(next) + ".partial";
  std::error_code ec;
  if (!init || !std::filesystem::exists(dir / file, ec)) return;
  SegmentSamples samples;
  try {
    samples = parse_segment(read_file(dir / file), true);
  } catch (const RecordingError&) {
    return;  // no complete fragment yet, or closed (renamed) since exists()
  }
  const SegmentSample& last = samples.samples.back();
  r.segments.push_back({next, file, init->file, SessionTime(samples.samples.front().decode_time),
                        SessionTime(last.decode_time + last.duration), true});
}

StreamParams load_stream(const std::filesystem::path& init_file) {
  StreamParams p;
  p.avc = parse_init(read_file(init_file));
  p.sps = h264::parse_sps(p.avc.sps);
  p.pps = h264::parse_pps(p.avc.pps);
  if (p.pps.sps_id != p.sps.id) throw RecordingError("init header: PPS refers to another SPS");
  return p;
}

}  // namespace

SeekRecording SeekRecording::load(const std::filesystem::path& dir, bool include_partial) {
  Manifest m = Manifest::load(dir);
  SeekRecording r;
  r.dir = dir;
  for (const auto& s : m.segments) {
    if (s.file.empty() || s.file.find('/') != std::string::npos || s.init_file.empty() ||
        s.init_file.find('/') != std::string::npos)
      throw RecordingError(fmt::format("manifest: segment {} has a bad file name", s.index));
    r.segments.push_back({s.index, s.file, s.init_file, s.start, s.start + s.duration, false});
  }
  if (include_partial) add_partial(dir, m, r);
  return r;
}

const SeekSegment& SeekRecording::at(SessionTime t) const {
  for (const auto& s : segments)
    if (t >= s.start && t < s.end) return s;
  throw std::out_of_range(fmt::format("{} ms is outside the recording", t.count()));
}

std::span<const std::uint8_t> LoadedSegment::sample(std::size_t i) const {
  const SegmentSample& s = samples.samples.at(i);
  return std::span<const std::uint8_t>(bytes).subspan(s.offset, s.size);
}

h264::SliceHeader LoadedSegment::slice_header(std::size_t i) const {
  auto nal = h264::first_slice(sample(i), stream.avc.length_size);
  if (nal.empty()) throw RecordingError(fmt::format("{}: a sample holds no slice", segment.file));
  return h264::parse_slice_header(nal, stream.sps, stream.pps);
}

bool LoadedSegment::keyframe(std::size_t i) const {
  auto nal = h264::first_slice(sample(i), stream.avc.length_size);
  return !nal.empty() && (nal[0] & 0x1f) == 5;
}

std::size_t LoadedSegment::sample_at(SessionTime t) const {
  const auto& s = samples.samples;
  auto after =
      std::upper_bound(s.begin(), s.end(), t.count(),
                       [](std::int64_t v, const SegmentSample& x) { return v < x.decode_time; });
  return after == s.begin() ? 0 : static_cast<std::size_t>(after - s.begin()) - 1;
}

LoadedSegment load_segment(const SeekRecording& recording, const SeekSegment& segment) {
  LoadedSegment l;
  l.dir = recording.dir;
  l.segment = segment;
  l.stream = load_stream(recording.dir / segment.init);
  std::error_code ec;
  if (segment.partial && !std::filesystem::exists(recording.dir / segment.file, ec)) {
    // Closed since the recording was listed: the same frames, under the final name.
    l.segment.file =
        segment.file.substr(0, segment.file.size() - std::string_view(".partial").size());
  }
  l.bytes = read_file(recording.dir / l.segment.file);
  l.samples = parse_segment(l.bytes, segment.partial);
  l.cache_key = fmt::format("{}|{}|{}", recording.dir.string(), segment.index, segment.init);
  return l;
}

}  // namespace rdpwarden::codec
