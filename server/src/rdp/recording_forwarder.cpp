#include "rdp/recording_forwarder.hpp"

#include "util/log.hpp"

namespace rdpwarden::server::rdp {

void RecordingForwarder::on_segment_closed(const codec::SegmentRecord& segment) {
  link_.send_segment(segment);
}

void RecordingForwarder::on_events(std::span<const codec::EventRecord> events) {
  link_.send_events(events);
}

void RecordingForwarder::on_failure(const codec::RecorderFailure& failure) {
  link_.send_recording_failure(failure);
  if (session_.settings().recording.fail_closed) {
    log::error(
        "recording failed ({}): {}; ending the session (recording.on_failure = "
        "fail_closed)",
        codec::to_string(failure.kind), failure.message);
    session_.end(SessionEnd::recording_failed, failure.message);
  } else {
    log::error("recording failed ({}): {}; the session goes on unrecorded (fail_open)",
               codec::to_string(failure.kind), failure.message);
  }
}

codec::RecorderOptions recorder_options(const Session& session) {
  const auto& s = session.settings();
  const auto& r = s.recording;
  codec::RecorderOptions o;
  o.session_dir = r.dir / s.session_id;
  o.session_id = s.session_id;
  o.started_at = session.clock().wall_start();
  o.max_fps = r.max_fps;
  o.segment_seconds = r.segment_seconds;
  o.flush_seconds = r.flush_seconds;
  o.keystrokes = r.keystrokes;
  o.thumbnail_seconds = r.thumbnail_seconds;
  o.queue_frames = r.queue_frames;
  o.min_free_bytes = r.min_free_bytes;
  const SessionClock* clock = &session.clock();
  o.clock = [clock] { return clock->now(); };
  return o;
}

}  // namespace rdpwarden::server::rdp
