#pragma once
// The files of one session folder: init headers, the open `.partial` segment (appended one
// fragment at a time and fsynced), closing (fsync, rename, directory fsync, SHA-256 and hash
// chain) and manifest.json, which is rewritten atomically after each change. Errors are
// returned, never thrown: the recorder turns them into one RecorderFailure.

#include <filesystem>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "file_io.hpp"
#include "manifest.hpp"

namespace rdpwarden::codec {

class SegmentWriter {
 public:
  SegmentWriter(std::filesystem::path dir, Manifest manifest);

  // Writes a new init header and lists it for the segments that follow.
  std::error_code add_init(std::span<const std::uint8_t> init, int width, int height,
                           const std::string& codec);
  std::error_code open_segment(SessionTime start);
  // Appends a fragment to the open segment and fsyncs it.
  std::error_code append(std::span<const std::uint8_t> fragment);
  // Closes the open segment, which ends at `end`; the record is in the manifest and on disk.
  std::error_code close_segment(SessionTime end, SegmentRecord& closed);
  std::error_code save_manifest();

  bool segment_open() const { return file_.is_open(); }
  SessionTime segment_start() const { return start_; }
  std::uint64_t bytes_written() const { return bytes_written_; }
  Manifest& manifest() { return manifest_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  Manifest manifest_;
  AppendFile file_;
  Sha256 sha_;
  std::filesystem::path partial_;
  int next_index_ = 1;
  SessionTime start_{0};
  std::uint64_t segment_bytes_ = 0;
  std::uint64_t bytes_written_ = 0;
};

}  // namespace rdpwarden::codec
