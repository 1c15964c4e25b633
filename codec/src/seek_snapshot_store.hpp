#pragma once
// Seek snapshots of closed segments, kept on disk so that they outlive the process and the
// memory cache: one file per segment, `<root>/<session>/<segment file>.snap`, holding the
// segment's zlib-packed decoded pictures every N frames. Derived data: a missing, stale or
// damaged file is rebuilt, never trusted (a CRC and the segment's size are checked on load), and
// deleting the whole root only costs CPU on the next seeks.
//
// The pictures are the recording's own decoded screens, as sensitive as the recording itself:
// its folders are created owner-only (0700).
//
// File layout (little-endian): "RDPWSNAP", u32 version (1), u64 segment file size,
// u32 width, u32 height, u32 count, then per snapshot u32 frame index, u32 packed size, the packed
// bytes; last, u32 CRC-32 (zlib) of everything before it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rdpwarden::codec {

struct PackedSnapshot {
  int frame = 0;
  std::vector<std::uint8_t> packed;  // zlib stream of the picture's Y, U and V planes
};

struct SegmentSnapshots {
  std::uint64_t segment_bytes = 0;  // the segment file's size when they were made
  int width = 0;                    // coded size of the pictures
  int height = 0;
  std::vector<PackedSnapshot> snapshots;  // in frame order
};

class SnapshotStore {
 public:
  // An empty root disables the store (load finds nothing, save does nothing).
  explicit SnapshotStore(std::filesystem::path root) : root_(std::move(root)) {}

  bool enabled() const { return !root_.empty(); }
  // Whether a file for this segment exists and was made from a segment of this size (the
  // header only: cheap enough to ask for every segment of a recording).
  bool has(const std::string& session, const std::string& segment_file,
           std::uint64_t segment_bytes) const;
  // The segment's snapshots; nullopt when there is no file, or it is stale or damaged (then
  // it is removed, so that the next prepare rebuilds it).
  std::optional<SegmentSnapshots> load(const std::string& session, const std::string& segment_file,
                                       std::uint64_t segment_bytes) const;
  // Writes atomically (temporary name, rename). Returns false on any I/O error (a full disk):
  // seeking still works from memory, so the caller goes on.
  bool save(const std::string& session, const std::string& segment_file,
            const SegmentSnapshots& snapshots) const;
  // Marks the session's snapshots as just used (the folder's mtime), so trim() keeps them.
  void touch(const std::string& session) const;
  // Keeps the store within `max_bytes`: deletes whole sessions' snapshots, least recently used
  // first, down to 90 % of it. Returns the bytes the store holds afterwards.
  std::uint64_t trim(std::uint64_t max_bytes) const;

 private:
  std::optional<std::filesystem::path> path_of(const std::string& session,
                                               const std::string& segment_file) const;

  std::filesystem::path root_;
};

}  // namespace rdpwarden::codec
