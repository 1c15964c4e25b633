#include "supervisor/recording_recovery.hpp"
#include <fstream>

#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recording_error.hpp>
#include <rdpwarden/codec/recovery.hpp>

#include "util/log.hpp"

namespace rdpwarden::server::supervisor {

std::optional<RecoveredRecording> recover_session_recording(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  RecoveredRecording out;
  try {
    out.duration = codec::recover_recording(dir).duration;
  } catch (const codec::RecordingError& e) {
    log::warn("cannot recover the recording in {}: {}", dir.string(), e.what());
    return std::nullopt;
  }
  std::ifstream in(dir / "manifest.json");
  auto manifest = nlohmann::json::parse(in, nullptr, false);
  if (!manifest.is_object()) return out;
  for (const auto& s : manifest.value("segments", nlohmann::json::array())) {
    RecordedSegment segment;
    segment.index = s.value("index", 0);
    segment.file = s.value("file", "");
    segment.init_file = s.value("init", "");
    segment.start_ms = s.value<std::int64_t>("start_ms", 0);
    segment.duration_ms = s.value<std::int64_t>("duration_ms", 0);
    segment.bytes = s.value<std::int64_t>("bytes", 0);
    segment.sha256 = s.value("sha256", "");
    segment.chain = s.value("chain", "");
    out.bytes += segment.bytes;
    out.segments.push_back(std::move(segment));
  }
  return out;
}

void recover_and_close(AccessService& access, const std::filesystem::path& recordings_dir,
                       const std::string& session_id, std::optional<rdp::SessionEnd> end,
                       const std::string& detail) {
  try {
    const auto recovered = recover_session_recording(recordings_dir / session_id);
    std::int64_t bytes = 0;
    std::chrono::milliseconds duration{0};
    if (recovered) {
      for (const auto& segment : recovered->segments)
        access.record_segment(session_id, segment);
      bytes = recovered->bytes;
      duration = recovered->duration;
    }
    if (end)
      access.session_ended(session_id, *end, detail, bytes);
    else
      access.session_interrupted(session_id, duration, bytes);
  } catch (const std::exception& e) {
    log::error("session {}: closing after a crash failed: {}", session_id, e.what());
  }
}

}  // namespace rdpwarden::server::supervisor
