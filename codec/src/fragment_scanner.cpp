#include "fragment_scanner.hpp"
#include <optional>
#include <string_view>

namespace rdpwarden::codec {
namespace {

struct Box {
  std::string_view type;
  std::span<const std::uint8_t> payload;
  std::uint64_t total = 0;
};

std::uint32_t be32(std::span<const std::uint8_t> d, std::size_t at) {
  return (std::uint32_t{d[at]} << 24) | (std::uint32_t{d[at + 1]} << 16) |
         (std::uint32_t{d[at + 2]} << 8) | d[at + 3];
}

std::uint64_t be64(std::span<const std::uint8_t> d, std::size_t at) {
  return (std::uint64_t{be32(d, at)} << 32) | be32(d, at + 4);
}

// The box at the start of `d`, or nullopt when it is incomplete or malformed.
std::optional<Box> read_box(std::span<const std::uint8_t> d) {
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
             size};
}

template <typename F>
bool for_each_child(std::span<const std::uint8_t> d, F&& f) {
  while (!d.empty()) {
    auto box = read_box(d);
    if (!box) return false;
    f(*box);
    d = d.subspan(static_cast<std::size_t>(box->total));
  }
  return true;
}

struct TrackRun {
  std::int64_t decode_time = 0;
  std::int64_t duration = 0;
  int samples = 0;
  bool ok = true;
};

void read_trun(std::span<const std::uint8_t> p, std::uint32_t default_duration, TrackRun& run) {
  if (p.size() < 8) return void(run.ok = false);
  std::uint32_t flags = be32(p, 0) & 0xffffff;
  std::uint32_t count = be32(p, 4);
  std::size_t at = 8 + ((flags & 0x1) ? 4 : 0) + ((flags & 0x4) ? 4 : 0);
  std::size_t per = ((flags & 0x100) ? 4 : 0) + ((flags & 0x200) ? 4 : 0) +
                    ((flags & 0x400) ? 4 : 0) + ((flags & 0x800) ? 4 : 0);
  if (at > p.size() || (per > 0 && count > (p.size() - at) / per)) return void(run.ok = false);
  for (std::uint32_t i = 0; i < count; ++i) {
    run.duration += (flags & 0x100) ? be32(p, at) : default_duration;
    at += per;
  }
  run.samples += static_cast<int>(count);
}

TrackRun read_traf(std::span<const std::uint8_t> traf) {
  TrackRun run;
  std::uint32_t default_duration = 0;
  bool complete = for_each_child(traf, [&](const Box& b) {
    const auto& p = b.payload;
    if (b.type == "tfhd" && p.size() >= 8) {
      std::uint32_t flags = be32(p, 0) & 0xffffff;
      std::size_t at = 8 + ((flags & 0x1) ? 8 : 0) + ((flags & 0x2) ? 4 : 0);
      if ((flags & 0x8) && at + 4 <= p.size()) default_duration = be32(p, at);
    } else if (b.type == "tfdt" && p.size() >= 8) {
      run.decode_time = (p[0] == 1 && p.size() >= 12) ? static_cast<std::int64_t>(be64(p, 4))
                                                      : static_cast<std::int64_t>(be32(p, 4));
    } else if (b.type == "trun") {
      read_trun(p, default_duration, run);
    }
  });
  run.ok = run.ok && complete;
  return run;
}

}  // namespace

FragmentScan scan_fragments(std::span<const std::uint8_t> data) {
  FragmentScan scan;
  std::uint64_t offset = 0;
  std::span<const std::uint8_t> rest = data;
  bool seen_moof = false;
  while (true) {
    auto moof = read_box(rest);
    if (!moof) break;
    if (moof->type != "moof") {
      // styp/sidx/free before the first fragment are allowed; anything else ends the scan.
      if (seen_moof || moof->type == "mdat") break;
      offset += moof->total;
      scan.leading_bytes = offset;
      rest = rest.subspan(static_cast<std::size_t>(moof->total));
      continue;
    }
    auto after = rest.subspan(static_cast<std::size_t>(moof->total));
    auto mdat = read_box(after);
    if (!mdat || mdat->type != "mdat") break;
    FragmentInfo info{offset, moof->total + mdat->total, 0, 0, 0};
    bool ok = for_each_child(moof->payload, [&](const Box& b) {
      if (b.type != "traf") return;
      TrackRun run = read_traf(b.payload);
      info.decode_time = run.decode_time;
      info.duration += run.duration;
      info.samples += run.samples;
      if (!run.ok) info.samples = -1;
    });
    if (!ok || info.samples < 0) break;
    seen_moof = true;
    scan.fragments.push_back(info);
    offset += info.size;
    scan.complete_bytes = offset;
    rest = after.subspan(static_cast<std::size_t>(mdat->total));
  }
  return scan;
}

}  // namespace rdpwarden::codec
