#include "seek_snapshot_store.hpp"
#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <span>
#include <system_error>
#include <zlib.h>

#include "file_io.hpp"

namespace rdpwarden::codec {
namespace {

constexpr std::array<char, 8> kMagic{'R', 'D', 'P', 'W', 'S', 'N', 'A', 'P'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderSize = 8 + 4 + 8 + 4 + 4 + 4;
constexpr std::uint32_t kMaxCount = 1u << 20;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// Bounds-checked little-endian reads over a file that may be truncated or damaged.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  std::size_t left() const { return bytes_.size() - pos_; }
  std::uint64_t uint(int size) {
    if (!ok_ || left() < static_cast<std::size_t>(size)) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < size; ++i)
      v |= std::uint64_t{bytes_[pos_ + i]} << (8 * i);
    pos_ += static_cast<std::size_t>(size);
    return v;
  }
  std::span<const std::uint8_t> take(std::size_t size) {
    if (!ok_ || left() < size) {
      ok_ = false;
      return {};
    }
    auto out = bytes_.subspan(pos_, size);
    pos_ += size;
    return out;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

struct Header {
  std::uint64_t segment_bytes = 0;
  int width = 0;
  int height = 0;
  std::uint32_t count = 0;
};

std::optional<Header> read_header(Reader& in) {
  auto magic = in.take(kMagic.size());
  if (!in.ok() || std::memcmp(magic.data(), kMagic.data(), kMagic.size()) != 0) return std::nullopt;
  if (in.uint(4) != kVersion) return std::nullopt;
  Header h;
  h.segment_bytes = in.uint(8);
  h.width = static_cast<int>(in.uint(4));
  h.height = static_cast<int>(in.uint(4));
  h.count = static_cast<std::uint32_t>(in.uint(4));
  if (!in.ok() || h.width <= 0 || h.height <= 0 || h.width > 16384 || h.height > 16384 ||
      h.count > kMaxCount)
    return std::nullopt;
  return h;
}

std::uint32_t crc_of(std::span<const std::uint8_t> bytes) {
  return static_cast<std::uint32_t>(
      crc32_z(crc32_z(0, nullptr, 0), bytes.data(), static_cast<z_size_t>(bytes.size())));
}

// Owner-only, like the recordings: these are pictures of the recorded screens.
bool make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return false;
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return !ec;
}

}  // namespace

std::optional<std::filesystem::path> SnapshotStore::path_of(const std::string& session,
                                                            const std::string& segment_file) const {
  // Both are single names from our own recording layout; anything else is refused rather than
  // followed out of the store.
  auto plain = [](const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\0') == std::string::npos;
  };
  if (!enabled() || !plain(session) || !plain(segment_file)) return std::nullopt;
  return root_ / session / (segment_file + ".snap");
}

bool SnapshotStore::has(const std::string& session, const std::string& segment_file,
                        std::uint64_t segment_bytes) const {
  auto path = path_of(session, segment_file);
  if (!path) return false;
  std::ifstream file(*path, std::ios::binary);
  std::array<std::uint8_t, kHeaderSize> header{};
  if (!file.read(reinterpret_cast<char*>(header.data()), header.size())) return false;
  Reader in(header);
  auto h = read_header(in);
  return h && h->segment_bytes == segment_bytes;
}

std::optional<SegmentSnapshots> SnapshotStore::load(const std::string& session,
                                                    const std::string& segment_file,
                                                    std::uint64_t segment_bytes) const {
  auto path = path_of(session, segment_file);
  std::error_code ec;
  if (!path || !std::filesystem::exists(*path, ec)) return std::nullopt;
  std::vector<std::uint8_t> bytes;
  try {
    bytes = read_file(*path);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  auto drop = [&]() -> std::optional<SegmentSnapshots> {
    std::filesystem::remove(*path, ec);
    return std::nullopt;
  };
  if (bytes.size() < kHeaderSize + 4) return drop();
  std::span<const std::uint8_t> body(bytes.data(), bytes.size() - 4);
  Reader crc_in(std::span<const std::uint8_t>(bytes).subspan(body.size()));
  if (crc_in.uint(4) != crc_of(body)) return drop();
  Reader in(body);
  auto h = read_header(in);
  if (!h || h->segment_bytes != segment_bytes) return drop();
  SegmentSnapshots out{h->segment_bytes, h->width, h->height, {}};
  for (std::uint32_t i = 0; i < h->count; ++i) {
    PackedSnapshot s;
    s.frame = static_cast<int>(in.uint(4));
    auto packed = in.take(in.uint(4));
    if (!in.ok() || s.frame < 0) return drop();
    s.packed.assign(packed.begin(), packed.end());
    out.snapshots.push_back(std::move(s));
  }
  if (in.left() != 0) return drop();
  return out;
}

bool SnapshotStore::save(const std::string& session, const std::string& segment_file,
                         const SegmentSnapshots& snapshots) const {
  auto path = path_of(session, segment_file);
  if (!path || !make_private_dir(root_) || !make_private_dir(path->parent_path())) return false;
  std::vector<std::uint8_t> out(kMagic.begin(), kMagic.end());
  put_u32(out, kVersion);
  put_u64(out, snapshots.segment_bytes);
  put_u32(out, static_cast<std::uint32_t>(snapshots.width));
  put_u32(out, static_cast<std::uint32_t>(snapshots.height));
  put_u32(out, static_cast<std::uint32_t>(snapshots.snapshots.size()));
  for (const auto& s : snapshots.snapshots) {
    put_u32(out, static_cast<std::uint32_t>(s.frame));
    put_u32(out, static_cast<std::uint32_t>(s.packed.size()));
    out.insert(out.end(), s.packed.begin(), s.packed.end());
  }
  put_u32(out, crc_of(out));
  return !write_file_atomic(*path, out);
}

void SnapshotStore::touch(const std::string& session) const {
  auto path = path_of(session, "x");
  if (!path) return;
  std::error_code ec;
  std::filesystem::last_write_time(path->parent_path(),
                                   std::filesystem::file_time_type::clock::now(), ec);
}

std::uint64_t SnapshotStore::trim(std::uint64_t max_bytes) const {
  struct Session {
    std::filesystem::path dir;
    std::filesystem::file_time_type used;
    std::uint64_t bytes = 0;
  };
  std::vector<Session> sessions;
  std::uint64_t total = 0;
  std::error_code ec;
  if (!enabled()) return 0;
  for (std::filesystem::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e;
    if (!it->is_directory(e)) continue;
    Session s{it->path(), it->last_write_time(e), 0};
    for (std::filesystem::directory_iterator f(s.dir, e), fend; !e && f != fend; f.increment(e)) {
      std::error_code fe;
      auto size = f->file_size(fe);
      if (!fe) s.bytes += size;
    }
    total += s.bytes;
    sessions.push_back(std::move(s));
  }
  if (total <= max_bytes) return total;
  std::sort(sessions.begin(), sessions.end(),
            [](const Session& a, const Session& b) { return a.used < b.used; });
  const std::uint64_t goal = max_bytes / 10 * 9;
  for (const auto& s : sessions) {
    if (total <= goal) break;
    std::error_code e;
    std::filesystem::remove_all(s.dir, e);
    if (!e) total -= s.bytes;
  }
  return total;
}

}  // namespace rdpwarden::codec
