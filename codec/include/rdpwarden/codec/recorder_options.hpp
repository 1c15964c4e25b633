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
  int crf = 34;
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
  // 6.4 KiB: what it costs a browser to decode). Idle time costs no frames, so an idle
  // session keeps one segment (one keyframe) open for a long time, while a seek decodes a
  // bounded amount of video. 10: a worst-case seek (to a segment's last frame) decodes ~100
  // frames, what Chromium does in ~0.3 s; 30 cost half the keyframes but 1 s seeks (RESULTS.md).
  int segment_seconds = 10;
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
