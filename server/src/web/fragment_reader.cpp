#include "web/fragment_reader.hpp"
#include <cstring>
#include <fcntl.h>
#include <span>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include "web/response_body.hpp"

namespace rdpwarden::server::web {
namespace {

constexpr std::uint64_t kMaxHeaderBox = 4 << 20;  // moov / moof larger than this: refuse

struct Box {
  std::string_view type;
  std::span<const unsigned char> payload;
};

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
std::uint64_t be64(const unsigned char* p) {
  return (std::uint64_t{be32(p)} << 32) | be32(p + 4);
}

// Children of an in-memory container; stops (returns false) on a malformed child.
bool children(std::span<const unsigned char> data, std::vector<Box>& out) {
  std::size_t pos = 0;
  while (pos + 8 <= data.size()) {
    std::uint64_t size = be32(&data[pos]);
    std::size_t header = 8;
    if (size == 1) {
      if (pos + 16 > data.size()) return false;
      size = be64(&data[pos + 8]);
      header = 16;
    } else if (size == 0) {
      size = data.size() - pos;
    }
    if (size < header || size > data.size() - pos) return false;
    out.push_back({std::string_view(reinterpret_cast<const char*>(&data[pos + 4]), 4),
                   data.subspan(pos + header, static_cast<std::size_t>(size) - header)});
    pos += static_cast<std::size_t>(size);
  }
  return pos == data.size();
}

const Box* find(const std::vector<Box>& boxes, std::string_view type) {
  for (const auto& b : boxes) {
    if (b.type == type) return &b;
  }
  return nullptr;
}

// Top-level boxes of a file: calls `visit(type, offset_of_payload, payload_size)`.
template <typename Visit>
bool scan_file(int fd, std::uint64_t file_size, Visit visit) {
  std::uint64_t pos = 0;
  while (pos + 8 <= file_size) {
    unsigned char h[16];
    if (::pread(fd, h, 16 <= file_size - pos ? 16 : 8, static_cast<off_t>(pos)) < 8) return false;
    std::uint64_t size = be32(h);
    std::uint64_t header = 8;
    if (size == 1) {
      if (pos + 16 > file_size) return false;
      size = be64(h + 8);
      header = 16;
    } else if (size == 0) {
      size = file_size - pos;
    }
    if (size < header || size > file_size - pos) return false;
    if (!visit(std::string_view(reinterpret_cast<const char*>(h + 4), 4), pos + header,
               size - header))
      return false;
    pos += size;
  }
  return true;
}

bool read_at(int fd, std::uint64_t offset, std::uint64_t size, std::vector<unsigned char>& out) {
  if (size > kMaxHeaderBox) return false;
  out.resize(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

UniqueFd open_regular(const std::filesystem::path& path, std::uint64_t& size) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return UniqueFd();
  size = static_cast<std::uint64_t>(st.st_size);
  return fd;
}

std::optional<std::uint32_t> mdhd_timescale(std::span<const unsigned char> p) {
  if (p.size() < 4) return std::nullopt;
  std::size_t at = p[0] == 1 ? 4 + 16 : 4 + 8;  // after version/flags and the two times
  if (p.size() < at + 4) return std::nullopt;
  auto ts = be32(&p[at]);
  return ts == 0 ? std::nullopt : std::optional(ts);
}

struct RawSample {
  std::uint64_t time = 0;  // timescale units
  std::uint32_t bytes = 0;
};

// One traf: appends its samples (decode time in timescale units, size) to `out`.
bool read_traf(std::span<const unsigned char> traf, const TrackTiming& timing,
               std::vector<RawSample>& out) {
  std::vector<Box> kids;
  if (!children(traf, kids)) return false;
  std::uint32_t default_duration = timing.default_sample_duration;
  std::uint32_t default_size = timing.default_sample_size;
  if (const auto* tfhd = find(kids, "tfhd")) {
    auto p = tfhd->payload;
    if (p.size() < 8) return false;
    std::uint32_t flags = be32(p.data()) & 0xffffff;
    std::size_t at = 8;
    if (flags & 0x01) at += 8;
    if (flags & 0x02) at += 4;
    if (flags & 0x08) {
      if (p.size() < at + 4) return false;
      default_duration = be32(&p[at]);
      at += 4;
    }
    if (flags & 0x10) {
      if (p.size() < at + 4) return false;
      default_size = be32(&p[at]);
    }
  }
  const auto* tfdt = find(kids, "tfdt");
  if (!tfdt || tfdt->payload.size() < 8) return false;
  std::uint64_t t = tfdt->payload[0] == 1
                        ? (tfdt->payload.size() < 12 ? 0 : be64(&tfdt->payload[4]))
                        : be32(&tfdt->payload[4]);
  for (const auto& b : kids) {
    if (b.type != "trun") continue;
    auto p = b.payload;
    if (p.size() < 8) return false;
    std::uint32_t flags = be32(p.data()) & 0xffffff;
    std::uint32_t count = be32(&p[4]);
    std::size_t at = 8 + ((flags & 0x01) ? 4 : 0) + ((flags & 0x04) ? 4 : 0);
    std::size_t per = 4 * (((flags & 0x100) ? 1 : 0) + ((flags & 0x200) ? 1 : 0) +
                           ((flags & 0x400) ? 1 : 0) + ((flags & 0x800) ? 1 : 0));
    if (at > p.size() || (per > 0 && count > (p.size() - at) / per)) return false;
    if (per == 0 && count > 1000000) return false;
    for (std::uint32_t i = 0; i < count; ++i) {
      std::uint32_t d = default_duration;
      std::uint32_t size = default_size;
      std::size_t field = at;
      if (flags & 0x100) d = be32(&p[field]), field += 4;
      if (flags & 0x200) size = be32(&p[field]);
      out.push_back({t, size});
      at += per;
      t += d;
    }
  }
  return true;
}

}  // namespace

std::optional<TrackTiming> read_track_timing(const std::filesystem::path& init,
                                             std::string& problem) {
  std::uint64_t size = 0;
  auto fd = open_regular(init, size);
  if (!fd) {
    problem = "cannot open " + init.filename().string();
    return std::nullopt;
  }
  std::vector<unsigned char> moov;
  bool ok =
      scan_file(fd.get(), size, [&](std::string_view type, std::uint64_t off, std::uint64_t len) {
        return type != "moov" || read_at(fd.get(), off, len, moov);
      });
  std::vector<Box> top;
  if (!ok || moov.empty() || !children(moov, top)) {
    problem = init.filename().string() + " has no readable moov";
    return std::nullopt;
  }
  TrackTiming timing;
  bool have_scale = false;
  for (const auto& b : top) {
    std::vector<Box> l1, l2;
    if (b.type == "trak" && children(b.payload, l1)) {
      if (const auto* mdia = find(l1, "mdia"); mdia && children(mdia->payload, l2)) {
        if (const auto* mdhd = find(l2, "mdhd")) {
          if (auto ts = mdhd_timescale(mdhd->payload)) {
            timing.timescale = *ts;
            have_scale = true;
          }
        }
      }
    } else if (b.type == "mvex" && children(b.payload, l1)) {
      if (const auto* trex = find(l1, "trex"); trex && trex->payload.size() >= 24) {
        timing.default_sample_duration = be32(&trex->payload[12]);
        timing.default_sample_size = be32(&trex->payload[16]);
      }
    }
  }
  if (!have_scale) {
    problem = init.filename().string() + " has no track timescale";
    return std::nullopt;
  }
  return timing;
}

std::optional<std::vector<Sample>> read_samples(const std::filesystem::path& segment,
                                                const TrackTiming& timing, std::string& problem) {
  std::uint64_t size = 0;
  auto fd = open_regular(segment, size);
  if (!fd) {
    problem = "cannot open " + segment.filename().string();
    return std::nullopt;
  }
  std::vector<RawSample> raw;
  std::vector<unsigned char> moof;
  bool ok =
      scan_file(fd.get(), size, [&](std::string_view type, std::uint64_t off, std::uint64_t len) {
        if (type != "moof") return true;
        std::vector<Box> kids;
        if (!read_at(fd.get(), off, len, moof) || !children(moof, kids)) return false;
        for (const auto& k : kids) {
          if (k.type == "traf" && !read_traf(k.payload, timing, raw)) return false;
        }
        return true;
      });
  if (!ok) {
    problem = segment.filename().string() + " has a malformed fragment";
    return std::nullopt;
  }
  std::vector<Sample> samples;
  samples.reserve(raw.size());
  for (const auto& r : raw)
    samples.push_back({static_cast<std::int64_t>(r.time * 1000 / timing.timescale), r.bytes});
  return samples;
}

}  // namespace rdpwarden::server::web
