#include "rdp/session_recording.hpp"

namespace rdpwarden::server::rdp {

SessionRecording::~SessionRecording() = default;

void SessionRecording::start(codec::RecorderOptions options, codec::RecorderObserver& observer) {
  std::lock_guard lock(control_mutex_);
  recorder_ = codec::Recorder::start(std::move(options), observer);
  if (subscriber_) recorder_->set_live_subscriber(subscriber_);
  live_ = recorder_.get();
}

std::optional<codec::RecordingSummary> SessionRecording::stop(std::string_view reason,
                                                              codec::SessionTime end) {
  std::lock_guard lock(control_mutex_);
  stopped_ = true;
  if (!recorder_) return std::nullopt;
  live_ = nullptr;
  recorder_->set_live_subscriber(nullptr);
  return recorder_->stop(reason, end);
}

void SessionRecording::set_live_subscriber(std::shared_ptr<codec::LiveSubscriber> subscriber) {
  std::lock_guard lock(control_mutex_);
  subscriber_ = std::move(subscriber);
  if (recorder_ && !stopped_) recorder_->set_live_subscriber(subscriber_);
}

void SessionRecording::request_keyframe() {
  std::lock_guard lock(control_mutex_);
  if (recorder_ && !stopped_) recorder_->request_keyframe();
}

void SessionRecording::on_frame(const codec::FrameView& frame, std::span<const codec::Rect> dirty,
                                codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_frame(frame, dirty, t);
}
void SessionRecording::on_resize(int width, int height, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_resize(width, height, t);
}
void SessionRecording::on_cursor_shape(const codec::CursorImage& cursor, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_cursor_shape(cursor, t);
}
void SessionRecording::on_cursor_position(int x, int y, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_cursor_position(x, y, t);
}
void SessionRecording::on_cursor_visible(bool visible, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_cursor_visible(visible, t);
}
void SessionRecording::on_keyboard_layout(std::uint32_t klid, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_keyboard_layout(klid, t);
}
void SessionRecording::on_keyboard_sync(std::uint32_t toggle_flags, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_keyboard_sync(toggle_flags, t);
}
void SessionRecording::on_key(std::uint16_t flags, std::uint16_t scancode, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_key(flags, scancode, t);
}
void SessionRecording::on_unicode(std::uint16_t flags, std::uint16_t code_unit,
                                  codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_unicode(flags, code_unit, t);
}
void SessionRecording::on_mouse(std::uint16_t flags, int x, int y, codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_mouse(flags, x, y, t);
}
void SessionRecording::on_event(std::string_view kind, std::string_view json_fields,
                                codec::SessionTime t) {
  if (auto* r = live_.load()) r->on_event(kind, json_fields, t);
}

}  // namespace rdpwarden::server::rdp
