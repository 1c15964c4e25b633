#pragma once
// How one session is recorded. The gateway fills this from the [recording] config section;
// codec never includes server headers, so the two are mapped field by field in the gateway.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

// x264 settings. The defaults were chosen by measurement on the 1080p benchmark workloads
// (tests/bench/RESULTS.md); change them only with new figures from the same benchmark.
struct EncoderSettings {
  std::string preset = "superfast";
  std::string tune;  // empty: none; x264 tunes such as "stillimage" are accepted
  // 37: typing ~48 KB/min with SSIM ~0.99 against the screen (34: ~57 KB/min, SSIM 0.993).
  int crf = 37;
  int qp_min = 10;
  int qp_max = 42;
  bool scenecut = false;    // x264 scene-cut I-frames; keyframes come only at segment starts
  std::string x264_params;  // extra "key=value:key=value" options, appended last
};

struct RecorderOptions {
  // The session's folder, <recordings>/<session-id>/. Created if missing (its parent must exist).
  std::filesystem::path session_dir;
  std::string session_id;
  std::chrono::system_clock::time_point started_at = std::chrono::system_clock::now();

  // Frames are emitted only when the screen changed, and at most this often.
  int max_fps = 10;
  // A segment closes once it holds this many seconds of activity at max_fps, i.e. after
  // segment_seconds * max_fps frames, where a large frame counts as several (one more per
  // 6.4 KiB). Each segment opens with a keyframe, which for a screen full of text costs as much
  // as minutes of typing (34-50 KB against ~45 KB per minute of P-frames), so segments are
  // long: 120 is one keyframe per ~10 minutes of typing (~49 KB/min in a long typing session;
  // 10 would be ~88). Seeking does not depend on it: the console's seek fragments
  // (seek_index.hpp) start playback at any frame. Durability does not either (flush_seconds).
  int segment_seconds = 120;
  // While frames keep coming, the open segment and the event log are made durable this often.
  int flush_seconds = 3;
  // A segment is closed after this much media time even when it holds few frames, so that the
  // manifest and the database see a segment at least this often (0: never by time).
  int segment_max_seconds = 600;
  // false: no key, unicode or text events are written (sites that must not log keystrokes).
  bool keystrokes = true;
  // A JPEG thumbnail (thumbnail_width x proportional height) every this many seconds of session
  // time with a changed screen; 0: none.
  int thumbnail_seconds = 10;
  int thumbnail_width = 256;
  // Frame updates waiting for the encoder thread. When full, a new update is merged into the
  // newest queued one (no pixel is lost, intermediate frames are): counted as frames_merged.
  int queue_frames = 8;
  // The recorder reports a disk_full failure when free space under session_dir falls below this.
  std::uint64_t min_free_bytes = 256ull << 20;

  EncoderSettings encoder;

  // The session clock: milliseconds since the session started. Used only to notice idle
  // deadlines (flush, frame-rate cap) when no update arrives; timestamps come from the caller.
  // Empty: steady_clock since the Recorder was started.
  std::function<SessionTime()> clock;
};

}  // namespace rdpwarden::codec
