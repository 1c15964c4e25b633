#pragma once
// The session's recording as its observers see it: the recorder sinks the Session delivers to,
// forwarding to a codec::Recorder once the admin is admitted (nothing is recorded before).
//
// Threads: the sink methods run on the session's paint and input threads; start() and stop()
// on the worker's main threads. stop() runs after the back side stopped painting, so no sink
// call can still be inside the recorder when it goes.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include <rdpwarden/codec/recorder.hpp>

namespace rdpwarden::server::rdp {

class SessionRecording final : public codec::FrameSink,
                               public codec::InputSink,
                               public codec::EventSink {
 public:
  SessionRecording() = default;
  ~SessionRecording() override;
  SessionRecording(const SessionRecording&) = delete;
  SessionRecording& operator=(const SessionRecording&) = delete;

  // Throws codec::RecordingError when the session folder cannot be created or written.
  void start(codec::RecorderOptions options, codec::RecorderObserver& observer);
  bool active() const { return live_.load() != nullptr; }
  // Finishes the recording (blocking until it is durable); nullopt when it never started.
  std::optional<codec::RecordingSummary> stop(std::string_view reason, codec::SessionTime end);
  // The live view: attached now or, before the recording starts, as soon as it does. nullptr
  // detaches. Any thread.
  void set_live_subscriber(std::shared_ptr<codec::LiveSubscriber> subscriber);
  void request_keyframe();

  void on_frame(const codec::FrameView& frame, std::span<const codec::Rect> dirty,
                codec::SessionTime t) override;
  void on_resize(int width, int height, codec::SessionTime t) override;
  void on_cursor_shape(const codec::CursorImage& cursor, codec::SessionTime t) override;
  void on_cursor_position(int x, int y, codec::SessionTime t) override;
  void on_cursor_visible(bool visible, codec::SessionTime t) override;
  void on_keyboard_layout(std::uint32_t klid, codec::SessionTime t) override;
  void on_keyboard_sync(std::uint32_t toggle_flags, codec::SessionTime t) override;
  void on_key(std::uint16_t flags, std::uint16_t scancode, codec::SessionTime t) override;
  void on_unicode(std::uint16_t flags, std::uint16_t code_unit, codec::SessionTime t) override;
  void on_mouse(std::uint16_t flags, int x, int y, codec::SessionTime t) override;
  void on_event(std::string_view kind, std::string_view json_fields, codec::SessionTime t) override;

 private:
  std::mutex control_mutex_;  // start/stop against live-view changes from other threads
  std::unique_ptr<codec::Recorder> recorder_;
  std::atomic<codec::Recorder*> live_{nullptr};
  std::shared_ptr<codec::LiveSubscriber> subscriber_;
  bool stopped_ = false;
};

}  // namespace rdpwarden::server::rdp
