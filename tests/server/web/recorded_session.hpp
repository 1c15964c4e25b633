#pragma once
// Recordings made by the real codec::Recorder (what the gateway will run per session), fed a
// synthetic desktop on the session clock: a background whose colour changes every
// `colour_period_ms` (so a test can tell positions apart by colour), a block moving while the
// session is active, nothing during the idle stretches, and typed text sent as US key presses
// (the recorder's own keyboard translation turns them into `key` and `text` events).

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <rdpwarden/codec/recorder.hpp>

namespace rdpwarden::test {

struct RecordedSessionSpec {
  std::string id;
  int width = 640;
  int height = 360;
  std::int64_t duration_ms = 60000;
  int fps = 10;  // frame rate while active (the recorder caps at max_fps)
  int max_fps = 10;
  int segment_seconds = 30;  // recorder option: seconds of activity per segment
  std::int64_t colour_period_ms = 10000;
  std::vector<std::pair<std::int64_t, std::int64_t>>
      idle;  // [from, to): the screen does not change
  // (time, text): typed one key every 120 ms from `time`; '\n' is Return. Letters, digits,
  // space and - . , / ' \ < > ( ) " | _ !
  std::vector<std::pair<std::int64_t, std::string>> typed;
  std::string user = "ops1";
  std::string target = "srv01";
  int thumbnail_seconds = 10;
  int crf = 0;  // x264 crf; 0: the recorder's default
};

struct RecordedSession {
  std::filesystem::path dir;
  codec::RecordingSummary summary;
};

// Records into <recordings_root>/<id>/ and returns when the recording is complete.
RecordedSession record_session(const std::filesystem::path& recordings_root,
                               const RecordedSessionSpec& spec);

// The background colour (0xRRGGBB) the synthetic desktop shows at time t.
std::uint32_t background_at(const RecordedSessionSpec& spec, std::int64_t t_ms);

}  // namespace rdpwarden::test
