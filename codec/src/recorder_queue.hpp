#pragma once
// The hand-off between the gateway's threads and the recorder thread.
//
// Video: at most `capacity` updates wait. Full-queue policy: a new update is merged into the
// newest waiting one (its patches appended, its time advanced), so no pixel change is ever
// lost, only an intermediate frame; each merge is counted (updates_merged). A merged update
// whose patches outgrow one full frame is replaced by a copy of the whole frame, so memory
// stays bounded by (capacity + 1) frames.
// Input and events: a separate queue bounded at kMaxInput items; beyond it input is dropped
// and counted (only a flood does that: a human types a few keys per second).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <rdpwarden/codec/live_subscriber.hpp>

#include "video_update.hpp"

namespace rdpwarden::codec {

struct InputItem {
  enum class Type { layout, sync, key, unicode, mouse, event };
  Type type = Type::event;
  SessionTime t{0};
  std::uint32_t value = 0;  // klid, toggle flags, or flags
  std::uint16_t code = 0;   // scancode or UTF-16 code unit
  int x = 0;
  int y = 0;
  std::string kind;
  std::string fields;

  static InputItem make(Type type, SessionTime t, std::uint32_t value = 0, std::uint16_t code = 0,
                        int x = 0, int y = 0) {
    InputItem item;
    item.type = type;
    item.t = t;
    item.value = value;
    item.code = code;
    item.x = x;
    item.y = y;
    return item;
  }
};

struct StopRequest {
  std::string reason;
  SessionTime end{0};
};

struct QueueBatch {
  std::deque<VideoUpdate> video;
  std::deque<InputItem> input;
  bool keyframe = false;
  bool live_changed = false;
  std::shared_ptr<LiveSubscriber> live;
  std::optional<StopRequest> stop;
};

class RecorderQueue {
 public:
  static constexpr std::size_t kMaxInput = 100000;

  explicit RecorderQueue(std::size_t capacity) : capacity_(std::max<std::size_t>(1, capacity)) {}

  // Returns true when the update was merged because the queue was full. `full_frame` is the
  // current framebuffer, used when a merged update grows past one frame (may be null).
  bool push_video(VideoUpdate&& update, const FrameView* full_frame);
  bool push_input(InputItem&& item);  // false: dropped (queue full)
  void request_keyframe();
  void set_live(std::shared_ptr<LiveSubscriber> live);
  void request_stop(StopRequest stop);

  // Waits until something is queued or `timeout` passes; takes all input and control and at
  // most one video update.
  QueueBatch take(std::chrono::milliseconds timeout);
  int video_depth() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  QueueBatch pending_;
  bool has_work_ = false;
};

}  // namespace rdpwarden::codec
