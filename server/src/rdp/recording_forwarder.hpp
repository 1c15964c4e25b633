#pragma once
// The worker's RecorderObserver: what the recorder made durable goes to the supervisor, which
// writes the database rows (the worker has no database access); a failure ends the session when
// recording.on_failure is fail-closed.
//
// Threads: called on the recorder's thread.

#include <rdpwarden/codec/recorder_observer.hpp>
#include <rdpwarden/codec/recorder_options.hpp>

#include "rdp/control_link.hpp"
#include "rdp/session.hpp"

namespace rdpwarden::server::rdp {

class RecordingForwarder final : public codec::RecorderObserver {
 public:
  RecordingForwarder(ControlLink& link, Session& session) : link_(link), session_(session) {}

  void on_segment_closed(const codec::SegmentRecord& segment) override;
  void on_events(std::span<const codec::EventRecord> events) override;
  void on_failure(const codec::RecorderFailure& failure) override;

 private:
  ControlLink& link_;
  Session& session_;
};

// The recorder's options for this session, from the worker's settings.
codec::RecorderOptions recorder_options(const Session& session);

}  // namespace rdpwarden::server::rdp
