#include "seek_mp4.hpp"
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec {
namespace {

using Bytes = std::span<const std::uint8_t>;

struct Box {
  std::string_view type;
  Bytes payload;
  std::size_t total = 0;
};

std::uint32_t be32(Bytes d, std::size_t at) {
  if (at + 4 > d.size()) throw RecordingError("MP4 box ends early");
  return (std::uint32_t{d[at]} << 24) | (std::uint32_t{d[at + 1]} << 16) |
         (std::uint32_t{d[at + 2]} << 8) | d[at + 3];
}

std::uint64_t be64(Bytes d, std::size_t at) {
  return (std::uint64_t{be32(d, at)} << 32) | be32(d, at + 4);
}

std::optional<Box> read_box(Bytes d) {
  if (d.size() < 8) return std::nullopt;
  std::uint64_t size = be32(d, 0);
  std::size_t header = 8;
  if (size == 1) {
    if (d.size() < 16) return std::nullopt;
    size = be64(d, 8);
    header = 16;
  }
  if (size < header || size > d.size()) return std::nullopt;
  return Box{{reinterpret_cast<const char*>(d.data() + 4), 4},
             d.subspan(header, static_cast<std::size_t>(size) - header),
             static_cast<std::size_t>(size)};
}

std::optional<Box> find_child(Bytes d, std::string_view type) {
  while (auto box = read_box(d)) {
    if (box->type == type) return box;
    d = d.subspan(box->total);
  }
  return std::nullopt;
}

Box require_child(Bytes d, std::string_view type) {
  auto box = find_child(d, type);
  if (!box) throw RecordingError(fmt::format("init header has no {} box", type));
  return *box;
}

// avcC (ISO/IEC 14496-15 5.3.3.1): the first SPS and PPS and the NAL length size.
AvcConfig parse_avcc(Bytes p) {
  AvcConfig c;
  c.record.assign(p.begin(), p.end());
  if (p.size() < 7 || p[0] != 1) throw RecordingError("init header: malformed avcC");
  c.length_size = (p[4] & 3) + 1;
  std::size_t at = 6;
  auto take_sets = [&](int count, std::vector<std::uint8_t>& first) {
    for (int i = 0; i < count; ++i) {
      if (at + 2 > p.size()) throw RecordingError("init header: avcC ends early");
      std::size_t len = (std::size_t{p[at]} << 8) | p[at + 1];
      at += 2;
      if (len == 0 || at + len > p.size()) throw RecordingError("init header: avcC ends early");
      if (i == 0)
        first.assign(p.begin() + static_cast<std::ptrdiff_t>(at),
                     p.begin() + static_cast<std::ptrdiff_t>(at + len));
      at += len;
    }
  };
  take_sets(p[5] & 0x1f, c.sps);
  if (at >= p.size()) throw RecordingError("init header: avcC ends early");
  const int pps_count = p[at++];
  take_sets(pps_count, c.pps);
  if (c.sps.empty() || c.pps.empty()) throw RecordingError("init header: avcC has no SPS/PPS");
  return c;
}

struct TrackFragment {
  std::uint32_t track_id = 0;
  std::optional<std::uint64_t> base;
  std::uint32_t default_duration = 0;
  std::uint32_t default_size = 0;
  std::uint32_t default_flags = 0;
  bool has_default_flags = false;
  std::int64_t decode_time = 0;
};

TrackFragment read_tfhd(Bytes p) {
  TrackFragment t;
  std::uint32_t flags = be32(p, 0) & 0xffffff;
  t.track_id = be32(p, 4);
  std::size_t at = 8;
  if (flags & 0x1) t.base = be64(p, at), at += 8;
  if (flags & 0x2) at += 4;
  if (flags & 0x8) t.default_duration = be32(p, at), at += 4;
  if (flags & 0x10) t.default_size = be32(p, at), at += 4;
  if (flags & 0x20) t.default_flags = be32(p, at), t.has_default_flags = true;
  return t;
}

// Appends the samples of one trun; `data` is where the next sample's bytes start when the
// trun gives no data_offset. `mdat_begin`/`mdat_end` bound the fragment's media data.
void read_trun(Bytes p, const TrackFragment& t, std::uint64_t moof_at, std::uint64_t& data,
               std::int64_t& time, std::uint64_t mdat_begin, std::uint64_t mdat_end,
               std::vector<SegmentSample>& out) {
  std::uint32_t flags = be32(p, 0) & 0xffffff;
  std::uint32_t count = be32(p, 4);
  // A segment holds at most ~10 minutes at a frame-rate cap: a million samples is hostile.
  if (count > (1U << 20) || out.size() + count > (1U << 20))
    throw RecordingError("segment: implausible sample count");
  std::size_t at = 8;
  if (flags & 0x1) {
    auto offset = static_cast<std::int32_t>(be32(p, at));
    data = static_cast<std::uint64_t>(static_cast<std::int64_t>(t.base.value_or(moof_at)) + offset);
    at += 4;
  }
  std::optional<std::uint32_t> first_flags;
  if (flags & 0x4) first_flags = be32(p, at), at += 4;
  std::size_t per =
      4 * (((flags >> 8) & 1) + ((flags >> 9) & 1) + ((flags >> 10) & 1) + ((flags >> 11) & 1));
  if (per > 0 && count > (p.size() - std::min(at, p.size())) / per)
    throw RecordingError("segment: trun sample count exceeds the box");
  for (std::uint32_t i = 0; i < count; ++i) {
    SegmentSample s;
    s.duration = (flags & 0x100) ? be32(p, at) : t.default_duration;
    at += (flags & 0x100) ? 4 : 0;
    s.size = (flags & 0x200) ? be32(p, at) : t.default_size;
    at += (flags & 0x200) ? 4 : 0;
    std::uint32_t sample_flags = t.has_default_flags ? t.default_flags : 0x10000;
    if (i == 0 && first_flags) sample_flags = *first_flags;
    if (flags & 0x400) sample_flags = be32(p, at), at += 4;
    at += (flags & 0x800) ? 4 : 0;
    s.sync = (sample_flags & 0x10000) == 0;
    s.offset = data;
    s.decode_time = time;
    if (s.offset < mdat_begin || s.offset > mdat_end || s.size > mdat_end - s.offset)
      throw RecordingError("segment: sample outside its mdat");
    data += s.size;
    time += s.duration;
    out.push_back(s);
  }
}

void read_fragment(Bytes moof, std::uint64_t moof_at, std::uint64_t mdat_begin,
                   std::uint64_t mdat_end, SegmentSamples& out) {
  auto traf = find_child(moof, "traf");
  if (!traf) throw RecordingError("segment: moof without traf");
  auto tfhd = find_child(traf->payload, "tfhd");
  if (!tfhd) throw RecordingError("segment: traf without tfhd");
  TrackFragment t = read_tfhd(tfhd->payload);
  if (auto tfdt = find_child(traf->payload, "tfdt"))
    t.decode_time = tfdt->payload.size() >= 12 && tfdt->payload[0] == 1
                        ? static_cast<std::int64_t>(be64(tfdt->payload, 4))
                        : static_cast<std::int64_t>(be32(tfdt->payload, 4));
  out.track_id = t.track_id;
  std::uint64_t data = t.base.value_or(moof_at);
  std::int64_t time = t.decode_time;
  Bytes rest = traf->payload;
  while (auto box = read_box(rest)) {
    if (box->type == "trun")
      read_trun(box->payload, t, moof_at, data, time, mdat_begin, mdat_end, out.samples);
    rest = rest.subspan(box->total);
  }
}

void put32(std::vector<std::uint8_t>& o, std::uint64_t v) {
  for (int i = 3; i >= 0; --i)
    o.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_type(std::vector<std::uint8_t>& o, const char* type) {
  o.insert(o.end(), type, type + 4);
}

}  // namespace

AvcConfig parse_init(Bytes init) {
  Box moov = require_child(init, "moov");
  Bytes traks = moov.payload;
  while (auto trak = find_child(traks, "trak")) {
    traks = traks.subspan(static_cast<std::size_t>(trak->payload.data() - traks.data()) +
                          trak->payload.size());
    auto mdia = find_child(trak->payload, "mdia");
    auto minf = mdia ? find_child(mdia->payload, "minf") : std::nullopt;
    auto stbl = minf ? find_child(minf->payload, "stbl") : std::nullopt;
    auto stsd = stbl ? find_child(stbl->payload, "stsd") : std::nullopt;
    if (!stsd || stsd->payload.size() < 8) continue;
    auto entry = read_box(stsd->payload.subspan(8));
    // VisualSampleEntry: 78 bytes of fields before its child boxes.
    if (!entry || (entry->type != "avc1" && entry->type != "avc3") || entry->payload.size() < 78)
      continue;
    return parse_avcc(require_child(entry->payload.subspan(78), "avcC").payload);
  }
  throw RecordingError("init header has no H.264 track");
}

SegmentSamples parse_segment(Bytes segment, bool allow_torn_tail) {
  SegmentSamples out;
  std::size_t at = 0;
  while (at < segment.size()) {
    auto box = read_box(segment.subspan(at));
    if (!box) {
      if (allow_torn_tail) break;
      throw RecordingError("segment is truncated or malformed");
    }
    if (box->type != "moof") {
      if (box->type == "mdat") throw RecordingError("segment: mdat without moof");
      at += box->total;  // styp, sidx, free
      continue;
    }
    auto mdat = read_box(segment.subspan(at + box->total));
    if (!mdat || mdat->type != "mdat") {
      if (allow_torn_tail) break;
      throw RecordingError("segment is truncated or malformed");
    }
    std::uint64_t mdat_at = at + box->total;
    read_fragment(box->payload, at, mdat_at + (mdat->total - mdat->payload.size()),
                  mdat_at + mdat->total, out);
    at = static_cast<std::size_t>(mdat_at + mdat->total);
  }
  if (out.samples.empty()) throw RecordingError("segment holds no samples");
  return out;
}

std::vector<std::uint8_t> write_fragment(const SegmentSamples& index, Bytes segment, Bytes first,
                                         std::int64_t first_time, std::uint32_t first_duration,
                                         std::size_t from, std::uint32_t sequence) {
  const std::size_t count = 1 + (index.samples.size() - std::min(from, index.samples.size()));
  std::uint64_t media = first.size();
  for (std::size_t i = from; i < index.samples.size(); ++i)
    media += index.samples[i].size;
  const std::size_t trun = 20 + 12 * count, traf = 8 + 16 + 20 + trun, moof = 8 + 16 + traf;
  if (media + 8 > 0xffffffffULL) throw RecordingError("seek fragment too large");
  std::vector<std::uint8_t> o;
  o.reserve(moof + 8 + media);
  put32(o, moof), put_type(o, "moof");
  put32(o, 16), put_type(o, "mfhd"), put32(o, 0), put32(o, sequence);
  put32(o, traf), put_type(o, "traf");
  put32(o, 16), put_type(o, "tfhd"), put32(o, 0x020000), put32(o, index.track_id);
  put32(o, 20), put_type(o, "tfdt"), put32(o, 0x01000000);
  put32(o, static_cast<std::uint64_t>(first_time) >> 32), put32(o, first_time & 0xffffffff);
  put32(o, trun), put_type(o, "trun"), put32(o, 0x000701), put32(o, count), put32(o, moof + 8);
  // Sample flags as FFmpeg's muxer writes them: sync = depends on nothing; others = depends
  // on others and not a sync sample.
  put32(o, first_duration), put32(o, first.size()), put32(o, 0x02000000);
  for (std::size_t i = from; i < index.samples.size(); ++i) {
    const SegmentSample& s = index.samples[i];
    put32(o, s.duration), put32(o, s.size), put32(o, s.sync ? 0x02000000 : 0x01010000);
  }
  put32(o, media + 8), put_type(o, "mdat");
  o.insert(o.end(), first.begin(), first.end());
  for (std::size_t i = from; i < index.samples.size(); ++i) {
    const SegmentSample& s = index.samples[i];
    auto begin = segment.begin() + static_cast<std::ptrdiff_t>(s.offset);
    o.insert(o.end(), begin, begin + s.size);
  }
  return o;
}

}  // namespace rdpwarden::codec
