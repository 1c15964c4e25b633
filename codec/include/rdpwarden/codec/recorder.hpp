#pragma once
// The session recorder: frames and dirty rectangles in, H.264 fMP4 segments, a manifest and an
// event log out (docs/recording-format.md). One per session.
//
// Threads: the gateway calls the sink methods (FrameSink, InputSink, EventSink) from its
// paint and input threads; they copy what they need into a bounded queue and return. One
// recorder thread converts, encodes, muxes, writes and fsyncs, translates keystrokes, and
// calls the RecorderObserver and the LiveSubscriber. stop() may be called from any thread
// except the recorder's own (i.e. not from an observer callback).

#include <memory>
#include <string_view>

#include <rdpwarden/codec/live_subscriber.hpp>
#include <rdpwarden/codec/recorder_observer.hpp>
#include <rdpwarden/codec/recorder_options.hpp>
#include <rdpwarden/codec/session_sink.hpp>

namespace rdpwarden::codec {

// What a finished recording holds.
struct RecordingSummary {
  std::chrono::milliseconds duration{0};
  int segments = 0;
  std::uint64_t bytes = 0;
  bool complete = false;  // false when a failure stopped the recording early
};

class Recorder final : public FrameSink, public InputSink, public EventSink {
 public:
  // Creates the session folder and starts the recorder thread. Throws RecordingError when the
  // folder cannot be created or written (the gateway refuses the session: fail-closed).
  // `observer` must outlive the Recorder.
  static std::unique_ptr<Recorder> start(RecorderOptions options, RecorderObserver& observer);
  ~Recorder() override;  // stops with reason "aborted" when stop() was not called
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Ends the recording at session time `end`: encodes everything queued, closes the last
  // segment, writes recording.stop, makes everything durable and writes the final manifest
  // (complete, end_reason). Blocks until done. Idempotent; later calls return the same summary.
  RecordingSummary stop(std::string_view end_reason, SessionTime end);

  // The next frame is an IDR; when the screen is idle, the current picture is encoded as one
  // now. For a live viewer that joins mid-session.
  void request_keyframe();
  // Attaches (or with nullptr detaches) the live-view subscriber; it receives the init segment
  // and, after a forced keyframe, one fragment per frame.
  void set_live_subscriber(std::shared_ptr<LiveSubscriber> subscriber);

  RecorderCounters counters() const;  // thread-safe

  // FrameSink
  void on_frame(const FrameView& frame, std::span<const Rect> dirty, SessionTime t) override;
  void on_resize(int width, int height, SessionTime t) override;
  void on_cursor_shape(const CursorImage& cursor, SessionTime t) override;
  void on_cursor_position(int x, int y, SessionTime t) override;
  void on_cursor_visible(bool visible, SessionTime t) override;
  // InputSink
  void on_keyboard_layout(std::uint32_t klid, SessionTime t) override;
  void on_keyboard_sync(std::uint32_t toggle_flags, SessionTime t) override;
  void on_key(std::uint16_t flags, std::uint16_t scancode, SessionTime t) override;
  void on_unicode(std::uint16_t flags, std::uint16_t code_unit, SessionTime t) override;
  void on_mouse(std::uint16_t flags, int x, int y, SessionTime t) override;
  // EventSink
  void on_event(std::string_view kind, std::string_view json_fields, SessionTime t) override;

  class Impl;

 private:
  explicit Recorder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rdpwarden::codec
