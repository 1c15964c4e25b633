#pragma once
// manifest.json (docs/recording-format.md): read, written atomically, and the hash chain.

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <rdpwarden/codec/recorder_observer.hpp>

namespace rdpwarden::codec {

struct InitEntry {
  std::string file;
  int width = 0;
  int height = 0;
  std::uint64_t bytes = 0;
  std::string sha256;
  int first_segment = 1;  // the first segment index that uses this header
};

struct ThumbnailEntry {
  std::int64_t t = 0;
  std::string file;
};

struct Manifest {
  std::string session_id;
  std::string started_at;  // ISO 8601 UTC
  bool complete = false;
  std::string end_reason;  // empty while recording
  std::int64_t duration_ms = 0;
  std::string codec;
  std::vector<InitEntry> inits;
  std::vector<SegmentRecord> segments;
  int thumbnail_interval_ms = 0;
  int thumbnail_width = 0;
  int thumbnail_height = 0;
  std::vector<ThumbnailEntry> thumbnails;

  std::string to_json() const;
  // Throws RecordingError on malformed JSON or a missing field.
  static Manifest parse(std::string_view json);
  static Manifest load(const std::filesystem::path& session_dir);
  std::error_code save(const std::filesystem::path& session_dir) const;
  // The init entry a segment index uses (nullptr when none).
  const InitEntry* init_for(int segment_index) const;
};

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kEventsFile = "events.jsonl";

// chain = hex SHA-256 of (previous chain, or the first init's sha256) + this segment's sha256.
std::string chain_link(std::string_view previous, std::string_view segment_sha256);
std::string segment_file_name(int index);  // "seg-000001.m4s"
std::string init_file_name(int number);    // "init.mp4", "init-2.mp4", ...
std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace rdpwarden::codec
