#pragma once
// Decoded pictures kept so that a seek decodes from the nearest one instead of from the
// segment's keyframe: an LRU bounded by bytes, shared by every session a SeekIndex serves.
// Pictures are kept zlib-compressed (screen content compresses ~10-50x; the cost is
// measured in tests/bench/RESULTS.md). Thread-safe.

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "h264_pcm_picture.hpp"

namespace rdpwarden::codec {

class SnapshotCache {
 public:
  explicit SnapshotCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

  struct Hit {
    int frame = 0;
    h264::PlanarPicture picture;
  };
  // The snapshot of `segment` (a key naming one segment of one recording) at the highest
  // frame index in [first, last], if one is cached.
  std::optional<Hit> find(const std::string& segment, int first, int last);
  bool contains(const std::string& segment, int frame);
  // The frame index find() would return, without unpacking the picture.
  std::optional<int> nearest(const std::string& segment, int first, int last);
  // Keeps `picture` as frame `frame` of `segment`; returns false when it did not fit (the
  // budget is smaller than one picture) or evicted pictures to fit.
  bool put(const std::string& segment, int frame, const h264::PlanarPicture& picture);
  // The same with a picture packed already (by pack(), or read back from a SnapshotStore).
  bool put_packed(const std::string& segment, int frame, int width, int height,
                  std::vector<std::uint8_t> packed);

  static std::vector<std::uint8_t> pack(const h264::PlanarPicture& picture);
  std::size_t bytes() const;
  std::size_t count() const;

 private:
  struct Entry {
    std::string segment;
    int frame = 0;
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> packed;
  };
  using Lru = std::list<Entry>;
  void evict_until(std::size_t room);
  // The entry find() means; the caller holds mutex_.
  std::optional<Lru::iterator> locate(const std::string& segment, int first, int last);

  std::size_t budget_;
  mutable std::mutex mutex_;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, std::map<int, Lru::iterator>> index_;
  std::size_t bytes_ = 0;
};

}  // namespace rdpwarden::codec
