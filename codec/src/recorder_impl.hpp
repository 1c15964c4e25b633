#pragma once
// Recorder internals: the state shared by the sink methods (gateway threads) and the recorder
// thread, which alone owns the pipeline, the event log and the keyboard state.

#include <atomic>
#include <mutex>
#include <thread>

#include <rdpwarden/codec/recorder.hpp>

#include "event_log.hpp"
#include "keyboard_translator.hpp"
#include "line_reconstructor.hpp"
#include "recorder_queue.hpp"
#include "segment_writer.hpp"
#include "video_pipeline.hpp"

namespace rdpwarden::codec {

class Recorder::Impl {
 public:
  Impl(RecorderOptions options, RecorderObserver& observer);
  ~Impl();

  void start_thread();
  RecordingSummary stop(std::string_view reason, SessionTime end);
  SessionTime now() const;

  // Called from the sinks (any gateway thread).
  void push_frame(const FrameView& frame, std::span<const Rect> dirty, SessionTime t);
  void push_cursor(VideoUpdate&& update);
  void push_input(InputItem&& item);

  RecorderOptions options_;
  RecorderObserver& observer_;
  RecorderQueue queue_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

  std::atomic<bool> failed_{false};
  std::atomic<std::uint64_t> updates_received_{0};
  std::atomic<std::uint64_t> updates_merged_{0};
  std::atomic<std::uint64_t> updates_dropped_{0};
  std::atomic<std::uint64_t> frames_encoded_{0};
  std::atomic<std::uint64_t> keyframes_{0};
  std::atomic<std::uint64_t> bytes_written_{0};
  std::atomic<std::uint64_t> segments_closed_{0};
  std::atomic<std::uint64_t> events_written_{0};
  std::atomic<std::uint64_t> events_dropped_{0};
  std::atomic<std::uint64_t> encoder_cpu_us_{0};

 private:
  void run() noexcept;
  bool step();  // one loop iteration; false when stopped
  void handle_input(const InputItem& item);
  void handle_key(const InputItem& item);
  void handle_unicode(const InputItem& item);
  void handle_mouse(const InputItem& item);
  void handle_video(const VideoUpdate& update);
  void after_step(SessionTime now);
  void finish(const StopRequest& stop);
  void flush_events();
  void fail(RecorderFailure failure);
  void check(Outcome outcome);
  std::chrono::milliseconds wait_time(SessionTime now) const;
  void update_counters();

  std::thread thread_;
  std::mutex stop_mutex_;  // serializes stop() callers
  std::optional<RecordingSummary> summary_;
  std::optional<RecordingSummary> result_;  // set by the thread when it finishes

  // Recorder-thread state.
  SegmentWriter writer_;
  VideoPipeline pipeline_;
  EventLog events_;
  std::unique_ptr<KeyboardTranslator> keyboard_;
  LineReconstructor lines_;
  SessionTime latest_t_{0};
  std::optional<SessionTime> first_unflushed_event_;
  int width_ = 0;
  int height_ = 0;
  char16_t high_surrogate_ = 0;
  bool keystrokes_;
};

}  // namespace rdpwarden::codec
