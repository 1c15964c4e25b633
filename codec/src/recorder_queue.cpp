#include "recorder_queue.hpp"
#include <cstring>
#include <utility>

namespace rdpwarden::codec {
namespace {

Patch copy_frame(const FrameView& frame) {
  Patch p;
  p.rect = {0, 0, frame.width, frame.height};
  p.bgrx.resize(static_cast<std::size_t>(frame.width) * frame.height * 4);
  for (int y = 0; y < frame.height; ++y)
    std::memcpy(p.bgrx.data() + static_cast<std::size_t>(y) * frame.width * 4, frame.row(y),
                static_cast<std::size_t>(frame.width) * 4);
  return p;
}

void merge_into(VideoUpdate& into, VideoUpdate&& from, const FrameView* full_frame) {
  into.t = from.t;
  if (from.frame_width > 0) {
    into.frame_width = from.frame_width;
    into.frame_height = from.frame_height;
  }
  for (auto& p : from.patches)
    into.patches.push_back(std::move(p));
  if (from.cursor_shape) into.cursor_shape = std::move(from.cursor_shape);
  if (from.cursor_position) into.cursor_position = from.cursor_position;
  if (from.cursor_visible) into.cursor_visible = from.cursor_visible;
  if (full_frame && full_frame->pixels &&
      into.pixel_bytes() > static_cast<std::size_t>(full_frame->width) * full_frame->height * 4) {
    into.patches.clear();
    into.patches.push_back(copy_frame(*full_frame));
  }
}

}  // namespace

bool RecorderQueue::push_video(VideoUpdate&& update, const FrameView* full_frame) {
  bool merged = false;
  {
    std::lock_guard lock(mutex_);
    auto& q = pending_.video;
    // A size change is never merged across: the updates before it belong to the old size.
    const bool size_change = !q.empty() && update.frame_width > 0 &&
                             (update.frame_width != q.back().frame_width ||
                              update.frame_height != q.back().frame_height);
    if (q.size() >= capacity_ && !size_change) {
      merge_into(q.back(), std::move(update), full_frame);
      merged = true;
    } else {
      q.push_back(std::move(update));
    }
    has_work_ = true;
  }
  cv_.notify_one();
  return merged;
}

bool RecorderQueue::push_input(InputItem&& item) {
  {
    std::lock_guard lock(mutex_);
    if (pending_.input.size() >= kMaxInput) return false;
    pending_.input.push_back(std::move(item));
    has_work_ = true;
  }
  cv_.notify_one();
  return true;
}

void RecorderQueue::request_keyframe() {
  {
    std::lock_guard lock(mutex_);
    pending_.keyframe = true;
    has_work_ = true;
  }
  cv_.notify_one();
}

void RecorderQueue::set_live(std::shared_ptr<LiveSubscriber> live) {
  {
    std::lock_guard lock(mutex_);
    pending_.live = std::move(live);
    pending_.live_changed = true;
    has_work_ = true;
  }
  cv_.notify_one();
}

void RecorderQueue::request_stop(StopRequest stop) {
  {
    std::lock_guard lock(mutex_);
    if (!pending_.stop) pending_.stop = std::move(stop);
    has_work_ = true;
  }
  cv_.notify_one();
}

QueueBatch RecorderQueue::take(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [this] { return has_work_; });
  // Input and control are taken whole; video one update at a time, so the rest keeps
  // waiting in the bounded queue (and merges there when the encoder falls behind).
  QueueBatch out;
  std::swap(out.input, pending_.input);
  if (!pending_.video.empty()) {
    out.video.push_back(std::move(pending_.video.front()));
    pending_.video.pop_front();
  }
  out.keyframe = std::exchange(pending_.keyframe, false);
  out.live_changed = std::exchange(pending_.live_changed, false);
  out.live = std::move(pending_.live);
  pending_.live.reset();
  // Stop is handed over only once every queued frame has been taken.
  if (pending_.video.empty()) {
    out.stop = std::move(pending_.stop);
    pending_.stop.reset();
  }
  has_work_ = !pending_.video.empty() || pending_.stop.has_value();
  return out;
}

int RecorderQueue::video_depth() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(pending_.video.size());
}

}  // namespace rdpwarden::codec
