#pragma once
// The session's composite framebuffer: what the target drew, decoded by the back side, kept as
// the one picture that both the admin's stream and the recorder are made from.
//
// Threads: paint() and resize() run on FreeRDP's paint threads (the back client's thread and its
// dynamic-channel thread) under FreeRDP's update lock, so they only copy and return. take() runs
// on the front's peer thread. The recorder's FrameSink is called under this object's lock.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

#include <rdpwarden/codec/session_sink.hpp>

#include "rdp/dirty_tiles.hpp"
#include "rdp/framebuffer.hpp"
#include "rdp/session_clock.hpp"

namespace rdpwarden::server::rdp {

class CompositeFrame {
 public:
  // `wake` tells the front's thread that something is pending; it must not block.
  CompositeFrame(codec::FrameSink& sink, const SessionClock& clock, std::function<void()> wake);

  // --- back side ---
  // The target's desktop size changed (also the first size after connecting).
  void resize(int width, int height);
  // Copies `rects` (target coordinates) from the target's decoded framebuffer.
  void paint(const std::uint8_t* src, int src_stride, int src_width, int src_height,
             std::span<const codec::Rect> rects);

  // --- front side ---
  struct Update {
    bool resized = false;  // the size differs from what `dst` had
    int width = 0;
    int height = 0;
    std::vector<codec::Rect> rects;  // what changed in `dst`, tile-aligned
    // When the oldest of those changes was painted by the target (the relay's delay starts).
    std::chrono::steady_clock::time_point painted_at{};
  };
  // Copies everything the admin has not seen into `dst` (resized to the frame when needed).
  Update take(Framebuffer& dst);
  // The admin's client lost its picture (refresh request, new surface): resend everything.
  void mark_all_for_user();
  void mark_for_user(const codec::Rect& rect);
  // True once the target has painted at least once at the current size.
  bool painted() const;
  // Paints that changed something, and changed pixels, since the start (statistics).
  std::uint64_t paints() const { return paints_.load(); }
  std::uint64_t painted_pixels() const { return painted_pixels_.load(); }
  int width() const;
  int height() const;

 private:
  void collect_changes(const std::uint8_t* src, int src_stride, const codec::Rect& r,
                       std::vector<codec::Rect>& changed);

  codec::FrameSink& sink_;
  const SessionClock& clock_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  Framebuffer pixels_;
  DirtyTiles for_user_;
  bool painted_ = false;
  std::chrono::steady_clock::time_point unseen_since_{};  // guarded by mutex_
  std::atomic<std::uint64_t> paints_{0};
  std::atomic<std::uint64_t> painted_pixels_{0};
};

}  // namespace rdpwarden::server::rdp
