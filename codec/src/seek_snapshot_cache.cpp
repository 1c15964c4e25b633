#include "seek_snapshot_cache.hpp"
#include <zlib.h>

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec {
namespace {

// Level 1: most of the size gain of higher levels at a fraction of the time (screen content
// is mostly runs); measured in RESULTS.md.
constexpr int kLevel = 1;
constexpr std::size_t kEntryOverhead = 128;  // list node, map node, key

std::vector<std::uint8_t> pack_bytes(const std::vector<std::uint8_t>& raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> out(size);
  if (compress2(out.data(), &size, raw.data(), static_cast<uLong>(raw.size()), kLevel) != Z_OK)
    throw RecordingError("snapshot compression failed");
  out.resize(size);
  out.shrink_to_fit();
  return out;
}

h264::PlanarPicture unpack(const std::vector<std::uint8_t>& packed, int width, int height) {
  h264::PlanarPicture p;
  p.width = width;
  p.height = height;
  p.planes.resize(p.size());
  uLongf size = static_cast<uLongf>(p.planes.size());
  if (uncompress(p.planes.data(), &size, packed.data(), static_cast<uLong>(packed.size())) !=
          Z_OK ||
      size != p.planes.size())
    throw RecordingError("snapshot decompression failed");
  return p;
}

}  // namespace

std::optional<SnapshotCache::Lru::iterator> SnapshotCache::locate(const std::string& segment,
                                                                  int first, int last) {
  auto frames = index_.find(segment);
  if (frames == index_.end()) return std::nullopt;
  auto it = frames->second.upper_bound(last);
  if (it == frames->second.begin()) return std::nullopt;
  --it;
  if (it->first < first) return std::nullopt;
  return it->second;
}

std::optional<SnapshotCache::Hit> SnapshotCache::find(const std::string& segment, int first,
                                                      int last) {
  Entry copy;
  {
    std::lock_guard lock(mutex_);
    auto entry = locate(segment, first, last);
    if (!entry) return std::nullopt;
    lru_.splice(lru_.begin(), lru_, *entry);
    const Entry& e = **entry;
    copy = Entry{{}, e.frame, e.width, e.height, e.packed};
  }
  // Decompress outside the lock: other sessions' seeks need not wait for it.
  return Hit{copy.frame, unpack(copy.packed, copy.width, copy.height)};
}

std::optional<int> SnapshotCache::nearest(const std::string& segment, int first, int last) {
  std::lock_guard lock(mutex_);
  auto entry = locate(segment, first, last);
  if (!entry) return std::nullopt;
  return (*entry)->frame;
}

bool SnapshotCache::contains(const std::string& segment, int frame) {
  std::lock_guard lock(mutex_);
  auto frames = index_.find(segment);
  return frames != index_.end() && frames->second.contains(frame);
}

std::vector<std::uint8_t> SnapshotCache::pack(const h264::PlanarPicture& picture) {
  return pack_bytes(picture.planes);
}

bool SnapshotCache::put(const std::string& segment, int frame, const h264::PlanarPicture& picture) {
  if (budget_ == 0) return false;
  return put_packed(segment, frame, picture.width, picture.height, pack(picture));
}

bool SnapshotCache::put_packed(const std::string& segment, int frame, int width, int height,
                               std::vector<std::uint8_t> packed) {
  const std::size_t cost = packed.size() + kEntryOverhead + segment.size();
  std::lock_guard lock(mutex_);
  if (cost > budget_) return false;
  auto& frames = index_[segment];
  if (frames.contains(frame)) return true;
  bool evicted = bytes_ + cost > budget_;
  evict_until(cost);
  lru_.push_front(Entry{segment, frame, width, height, std::move(packed)});
  // evict_until may have erased this segment's map when it emptied it: look it up again.
  index_[segment][frame] = lru_.begin();
  bytes_ += cost;
  return !evicted;
}

void SnapshotCache::evict_until(std::size_t room) {
  while (!lru_.empty() && bytes_ + room > budget_) {
    Entry& victim = lru_.back();
    bytes_ -= victim.packed.size() + kEntryOverhead + victim.segment.size();
    auto frames = index_.find(victim.segment);
    if (frames != index_.end()) {
      frames->second.erase(victim.frame);
      if (frames->second.empty()) index_.erase(frames);
    }
    lru_.pop_back();
  }
}

std::size_t SnapshotCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t SnapshotCache::count() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

}  // namespace rdpwarden::codec
