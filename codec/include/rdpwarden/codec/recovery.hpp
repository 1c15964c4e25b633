#pragma once
// Start-up recovery of a recording left behind by a killed worker or server.

#include <chrono>
#include <filesystem>

namespace rdpwarden::codec {

struct RecoveryResult {
  bool was_complete = false;              // the manifest already said complete: nothing done
  std::chrono::milliseconds duration{0};  // recorded video duration after recovery
  int segments = 0;                       // segments listed in the manifest afterwards
  std::uint64_t truncated_bytes = 0;      // torn bytes cut from the open segment
};

// Given a session folder whose recorder died: truncates the open `.partial` segment to its
// last complete fragment (dropping it when nothing complete is left), fsyncs and renames it,
// and rewrites manifest.json with "complete": false, "end_reason": "interrupted" and the
// recorded duration. Idempotent. Throws RecordingError when the folder has no readable init.
RecoveryResult recover_recording(const std::filesystem::path& session_dir);

}  // namespace rdpwarden::codec
