#include "rdp/composite_frame.hpp"

namespace rdpwarden::server::rdp {

CompositeFrame::CompositeFrame(codec::FrameSink& sink, const SessionClock& clock,
                               std::function<void()> wake)
    : sink_(sink), clock_(clock), wake_(std::move(wake)) {}

void CompositeFrame::resize(int width, int height) {
  {
    std::lock_guard lock(mutex_);
    if (width == pixels_.width() && height == pixels_.height()) return;
    pixels_.resize(width, height);
    for_user_.reset(width, height);
    for_user_.mark_all();
    painted_ = false;
    sink_.on_resize(width, height, clock_.now());
  }
  wake_();
}

void CompositeFrame::paint(const std::uint8_t* src, int src_stride, int src_width, int src_height,
                           std::span<const codec::Rect> rects) {
  if (rects.empty()) return;
  bool changed_any = false;
  {
    std::lock_guard lock(mutex_);
    std::vector<codec::Rect> changed;
    bool painted_something = false;
    for (const auto& rect : rects) {
      const auto r =
          codec::intersect(codec::intersect(rect, pixels_.bounds()), {0, 0, src_width, src_height});
      if (r.empty()) continue;
      painted_something = true;
      collect_changes(src, src_stride, r, changed);
    }
    if (!painted_something) return;
    painted_ = true;
    if (!changed.empty()) {
      if (unseen_since_ == std::chrono::steady_clock::time_point{})
        unseen_since_ = std::chrono::steady_clock::now();
      ++paints_;
      changed_any = true;
      sink_.on_frame(pixels_.view(), changed, clock_.now());
    }
  }
  if (changed_any) wake_();
}

void CompositeFrame::collect_changes(const std::uint8_t* src, int src_stride, const codec::Rect& r,
                                     std::vector<codec::Rect>& changed) {
  // Targets often report more than they changed (a whole H.264 frame for one blinking cursor):
  // compare tile by tile and keep only what differs, so that neither the client nor the
  // recorder pays for pixels that stayed the same.
  constexpr int kTile = DirtyTiles::kTile;
  for (int ty = r.y / kTile * kTile; ty < r.bottom(); ty += kTile) {
    for (int tx = r.x / kTile * kTile; tx < r.right(); tx += kTile) {
      const auto part = codec::intersect(r, {tx, ty, kTile, kTile});
      if (part.empty() || !pixels_.differs(src, src_stride, part)) continue;
      pixels_.copy_from(src, src_stride, pixels_.width(), pixels_.height(), part);
      for_user_.mark(part);
      painted_pixels_ +=
          static_cast<std::uint64_t>(part.width) * static_cast<std::uint64_t>(part.height);
      // Runs of changed tiles on a row become one rectangle.
      if (!changed.empty() && changed.back().y == part.y && changed.back().height == part.height &&
          changed.back().right() == part.x) {
        changed.back().width += part.width;
      } else {
        changed.push_back(part);
      }
    }
  }
}

CompositeFrame::Update CompositeFrame::take(Framebuffer& dst) {
  std::lock_guard lock(mutex_);
  Update update;
  update.width = pixels_.width();
  update.height = pixels_.height();
  if (dst.width() != update.width || dst.height() != update.height) {
    dst.resize(update.width, update.height);
    for_user_.mark_all();
    update.resized = true;
  }
  if (!painted_ || for_user_.empty()) return update;
  update.rects = for_user_.take();
  update.painted_at = unseen_since_;
  unseen_since_ = {};
  for (const auto& r : update.rects)
    dst.copy_from(pixels_, r);
  return update;
}

void CompositeFrame::mark_all_for_user() {
  {
    std::lock_guard lock(mutex_);
    for_user_.mark_all();
  }
  wake_();
}

void CompositeFrame::mark_for_user(const codec::Rect& rect) {
  {
    std::lock_guard lock(mutex_);
    for_user_.mark(rect);
  }
  wake_();
}

bool CompositeFrame::painted() const {
  std::lock_guard lock(mutex_);
  return painted_;
}

int CompositeFrame::width() const {
  std::lock_guard lock(mutex_);
  return pixels_.width();
}

int CompositeFrame::height() const {
  std::lock_guard lock(mutex_);
  return pixels_.height();
}

}  // namespace rdpwarden::server::rdp
