#pragma once
// Server-side seeking: playback can start at any frame of a recording without a keyframe
// stored there. A recording keeps keyframes rare (one per segment, segments of minutes of
// activity), which is what makes it small; a browser seeking into the middle of such a segment
// would have to decode every frame from its keyframe (Chromium: ~3-4 ms per 1080p frame).
// Instead the console asks for a seek fragment: the server decodes up to the target (from the
// nearest cached snapshot) and hands the player one intra frame holding exactly the decoded
// picture (I_PCM macroblocks, so nothing is re-encoded or approximated), followed by the
// segment's own frames from there on. The frames after it reference a picture identical to the
// one they were encoded against, so playback from a seek is bit-exact with playback from the
// start. Nothing is written into the recording: seek fragments are derived. The decoded
// pictures they start from are cached in memory and, for closed segments, on disk (a
// SnapshotStore under `store_dir`), made in the background as soon as a segment closes when
// `watch_root` is set, so that an auditor's seeks find them ready.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

struct SeekFragment {
  std::string init;                 // file name of the init header it decodes under
  std::uint32_t segment = 0;        // manifest index of the segment whose tail it carries
  SessionTime start{0};             // decode time of its first frame: the frame showing at t
  SessionTime end{0};               // end of that segment (start_ms + duration_ms)
  std::vector<std::uint8_t> bytes;  // moof + mdat; the first sample is a sync sample
};

struct SeekIndexOptions {
  std::size_t cache_bytes = std::size_t{256} << 20;  // snapshots kept in memory, all sessions
  int snapshot_interval = 32;                        // frames between cached decoded pictures
  // Where snapshots of closed segments are kept across restarts (<store_dir>/<session>/...);
  // empty: memory only.
  std::filesystem::path store_dir{};
  // The store's bounds: at most this much (least recently used sessions go first, checked at
  // most every `store_trim_interval`), and never written when its file system has less free
  // than `store_min_free_bytes` (the recordings need that space more).
  std::uint64_t store_max_bytes = 4ull << 30;
  std::uint64_t store_min_free_bytes = 1ull << 30;
  std::chrono::milliseconds store_trim_interval{std::chrono::minutes(1)};
  // A folder of recordings (one folder per session) to watch: every `watch_interval`, each
  // session folder that changed since the last look (a segment closed, the session ended) is
  // prepared in the background. Empty: only prepare() starts that work.
  std::filesystem::path watch_root{};
  std::chrono::milliseconds watch_interval{std::chrono::seconds(10)};
};

// Counters since the index was made, for tests, benchmarks and metrics.
struct SeekIndexStats {
  std::uint64_t fragments = 0;          // seek fragments built
  std::uint64_t fragment_frames = 0;    // frames decoded to build them
  std::uint64_t snapshots_loaded = 0;   // read back from the store into memory
  std::uint64_t segments_prepared = 0;  // decoded in the background
  std::uint64_t segments_stored = 0;    // ... and written to the store
  std::uint64_t prepare_frames = 0;     // frames decoded in the background
};

class SeekIndex {
 public:
  explicit SeekIndex(SeekIndexOptions options = {});
  ~SeekIndex();
  SeekIndex(const SeekIndex&) = delete;
  SeekIndex& operator=(const SeekIndex&) = delete;

  // The fragment that starts playback at the frame showing at `t` in the recording in
  // `session_dir`: closed segments from manifest.json, plus the complete fragments of the open
  // `.partial` segment when `include_partial` (a live session). When that frame is the
  // segment's keyframe the fragment is the segment's own frames. Thread-safe; CPU-bound
  // (call it off the I/O thread). Throws RecordingError for a missing or malformed recording
  // and std::out_of_range when `t` is outside it.
  SeekFragment fragment_at(const std::filesystem::path& session_dir, SessionTime t,
                           bool include_partial = false);

  // Decodes the recording's closed segments on a background thread (at low CPU priority) so
  // that later seeks find snapshots (the console calls it when a session page opens).
  // Segments with snapshots in the store are skipped. Returns at once; repeated calls are cheap.
  void prepare(const std::filesystem::path& session_dir);

  // Waits until no background work is queued or running; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);
  SeekIndexStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rdpwarden::codec
