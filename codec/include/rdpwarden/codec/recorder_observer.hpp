#pragma once
// What the recorder tells the gateway: closed segments and event batches to persist (the
// database rows), failures, and counters for /metrics.
//
// Threading: every RecorderObserver method is called on the recorder's own thread, never
// while the gateway's framebuffer lock could be held by the recorder. Calls are serialized.
// An implementation must not call back into the Recorder (except counters()) and should
// return promptly (a database insert is fine; the queue absorbs short stalls).

#include <cstdint>
#include <span>
#include <string>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

// A segment that is durable on disk (fsynced and renamed) and listed in manifest.json.
struct SegmentRecord {
  int index = 0;          // 1, 2, 3, ...
  std::string file;       // "seg-000001.m4s", relative to the session folder
  std::string init_file;  // "init.mp4" (or "init-2.mp4" after a resize)
  SessionTime start{0};   // first frame's presentation time
  std::chrono::milliseconds duration{0};
  std::uint64_t bytes = 0;
  std::string sha256;  // hex, of the file
  std::string chain;   // hex, see docs/recording-format.md
};

// One event exactly as written to events.jsonl (without the newline).
struct EventRecord {
  SessionTime t{0};
  std::string kind;  // from the closed catalogue
  std::string json;  // the whole line: {"t":..,"kind":"..",...}
};

enum class RecorderFailureKind {
  disk_full,      // ENOSPC, or free space below min_free_bytes
  unwritable,     // the folder cannot be created or written (EACCES, EROFS, ...)
  io_error,       // EIO or another write/fsync error
  encoder_error,  // libavcodec/libavformat refused
};

struct RecorderFailure {
  RecorderFailureKind kind = RecorderFailureKind::io_error;
  std::string message;  // one line, names the file; never pixels or keystrokes
};

const char* to_string(RecorderFailureKind kind);

// Monotonic counters (since the recorder started) and current gauges.
struct RecorderCounters {
  std::uint64_t updates_received = 0;  // on_frame calls
  std::uint64_t updates_merged = 0;    // merged into a queued update because the queue was full
  std::uint64_t updates_dropped = 0;   // discarded after a failure (nothing is written any more)
  std::uint64_t frames_encoded = 0;
  std::uint64_t keyframes = 0;
  std::uint64_t bytes_written = 0;  // segments, inits, thumbnails, manifest excluded
  std::uint64_t segments_closed = 0;
  std::uint64_t events_written = 0;
  std::uint64_t events_dropped = 0;  // input beyond the event queue bound (flood)
  std::uint64_t encoder_cpu_us = 0;  // CPU time of the recorder thread
  int queue_depth = 0;
  bool failed = false;
};

class RecorderObserver {
 public:
  virtual ~RecorderObserver() = default;
  // A segment became durable. Insert its row; the file is already safe.
  virtual void on_segment_closed(const SegmentRecord& segment) = 0;
  // Events that are now durable in events.jsonl, in order, batched per flush.
  virtual void on_events(std::span<const EventRecord> events) = 0;
  // The recording cannot continue. Called once; afterwards the recorder discards input
  // (what was durable before stays playable). The gateway applies its on_failure policy.
  virtual void on_failure(const RecorderFailure& failure) = 0;
};

class NullRecorderObserver final : public RecorderObserver {
 public:
  void on_segment_closed(const SegmentRecord&) override {}
  void on_events(std::span<const EventRecord>) override {}
  void on_failure(const RecorderFailure&) override {}
};

}  // namespace rdpwarden::codec
