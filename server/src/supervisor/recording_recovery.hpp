#pragma once
// A session's recording after its worker died (or the gateway restarted): the torn open segment
// cut back to its last complete fragment, the manifest rewritten, and what it now lists, so the
// database can catch up with the files.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "supervisor/access_service.hpp"

namespace rdpwarden::server::supervisor {

struct RecoveredRecording {
  std::chrono::milliseconds duration{0};
  std::int64_t bytes = 0;
  std::vector<RecordedSegment> segments;
};

// nullopt when the session has no recording folder or it cannot be recovered (logged).
std::optional<RecoveredRecording> recover_session_recording(const std::filesystem::path& dir);

// Recovers the recording and brings the database in line: missing segment rows are added and
// the session is closed as `end` (interrupted when nullopt). Never throws.
void recover_and_close(AccessService& access, const std::filesystem::path& recordings_dir,
                       const std::string& session_id, std::optional<rdp::SessionEnd> end,
                       const std::string& detail);

}  // namespace rdpwarden::server::supervisor
