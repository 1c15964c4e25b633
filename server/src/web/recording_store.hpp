#pragma once
// Read access to recording folders (<recordings>/<session-id>/, docs/recording-format.md).
// The folder is the authority for playback: which media files exist, their timing and their
// events. The manifest is checked before it is believed: every file it names must look like a
// recording file (no path tricks), numbers must be sane. Only files the manifest lists are ever
// served.
//
// Threading: const methods are thread-safe; the manifest cache has its own mutex.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace rdpwarden::server::web {

struct InitInfo {
  std::string file;
  int width = 0;
  int height = 0;
};

struct SegmentInfo {
  std::int64_t index = 0;
  std::string file;
  std::string init;
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
  std::int64_t bytes = 0;
};

struct ThumbInfo {
  std::int64_t t_ms = 0;
  std::string file;
};

struct Manifest {
  std::string session_id;
  std::string started_at;
  bool complete = false;
  std::string end_reason;
  std::int64_t duration_ms = 0;
  std::string codec;
  std::vector<InitInfo> inits;
  std::vector<SegmentInfo> segments;  // ordered by start_ms
  std::int64_t thumb_interval_ms = 0;
  int thumb_width = 0;
  int thumb_height = 0;
  std::vector<ThumbInfo> thumbs;
  std::string events_file = "events.jsonl";
};

struct EventFilter {
  std::int64_t from_ms = 0;
  std::int64_t until_ms = INT64_MAX;  // exclusive
  std::vector<std::string> kinds;     // empty: every kind but per-keystroke `key`
  bool all_kinds = false;             // every kind, `key` included (overrides `kinds`)
  std::size_t limit = 5000;
};

struct EventPage {
  std::vector<nlohmann::json> events;
  bool truncated = false;  // more events after the last one returned
};

class RecordingStore {
 public:
  explicit RecordingStore(std::filesystem::path root);

  enum class Status { ok, missing, invalid };
  struct Loaded {
    Status status = Status::missing;
    std::string problem;  // for invalid: what is wrong, fit for a log line
    std::shared_ptr<const Manifest> manifest;
  };
  // The folder's manifest; cached until the file's size or mtime changes.
  Loaded manifest(std::string_view session_id) const;

  // The path of `name` when the manifest lists it (init, segment or thumbnail), else nullopt.
  std::optional<std::filesystem::path> media_file(std::string_view session_id,
                                                  const Manifest& manifest,
                                                  std::string_view name) const;
  std::filesystem::path folder(std::string_view session_id) const;

  // Events from events.jsonl in time order; unparsable or oversized lines (a torn last line of a
  // live session) are skipped.
  EventPage events(std::string_view session_id, const EventFilter& filter) const;

  // Whether `name` has the shape of a recording media file (init*.mp4, seg-*.m4s, thumbs/t-*.jpg).
  static bool plausible_media_name(std::string_view name);

 private:
  std::filesystem::path root_;
  struct CacheEntry {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::shared_ptr<const Manifest> manifest;
  };
  mutable std::mutex cache_mutex_;
  mutable std::map<std::string, CacheEntry, std::less<>> cache_;
};

// Parses and validates manifest text; throws std::runtime_error naming the problem.
Manifest parse_manifest(std::string_view text);

}  // namespace rdpwarden::server::web
