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
  {
    std::lock_guard lock(mutex_);
    std::vector<codec::Rect> clipped;
    clipped.reserve(rects.size());
    for (const auto& rect : rects) {
      auto r =
          codec::intersect(codec::intersect(rect, pixels_.bounds()), {0, 0, src_width, src_height});
      if (r.empty()) continue;
      pixels_.copy_from(src, src_stride, src_width, src_height, r);
      for_user_.mark(r);
      clipped.push_back(r);
    }
    if (clipped.empty()) return;
    painted_ = true;
    sink_.on_frame(pixels_.view(), clipped, clock_.now());
  }
  wake_();
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
