// The recorder thread: everything after the queue (see recorder_impl.hpp).
#include <time.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recording_error.hpp>

#include "recorder_failure.hpp"
#include "recorder_impl.hpp"

namespace rdpwarden::codec {

using nlohmann::json;

void Recorder::Impl::run() noexcept {
  try {
    while (step()) {
    }
  } catch (const std::exception& e) {
    // Only allocation failure can get here (pipeline errors are caught in check()); record
    // it and leave whatever is durable as it is.
    fail({RecorderFailureKind::encoder_error, e.what()});
    result_ = RecordingSummary{};
  }
}

bool Recorder::Impl::step() {
  QueueBatch batch = queue_.take(wait_time(now()));
  for (const auto& item : batch.input)
    handle_input(item);
  if (batch.live_changed && !failed_) {
    try {
      pipeline_.set_live(batch.live);
    } catch (const std::exception& e) {
      fail({RecorderFailureKind::encoder_error, e.what()});
    }
  }
  for (const auto& update : batch.video)
    handle_video(update);
  SessionTime t = std::max(now(), latest_t_);
  // A viewer who joins gets a keyframe now rather than at the next change.
  if (batch.live_changed && batch.live) batch.keyframe = true;
  if (batch.keyframe && !failed_) {
    try {
      check(pipeline_.force_keyframe(t));
    } catch (const std::exception& e) {
      fail({RecorderFailureKind::encoder_error, e.what()});
    }
  }
  after_step(t);
  update_counters();
  if (batch.stop) {
    finish(*batch.stop);
    update_counters();
    return false;
  }
  return true;
}

void Recorder::Impl::handle_video(const VideoUpdate& update) {
  if (failed_) {
    ++updates_dropped_;
    return;
  }
  latest_t_ = std::max(latest_t_, update.t);
  if (update.frame_width > 0 && (update.frame_width != width_ || update.frame_height != height_)) {
    const char* kind = width_ == 0 ? "recording.start" : "resize";
    events_.add(update.t, kind, {{"width", update.frame_width}, {"height", update.frame_height}});
    if (!first_unflushed_event_) first_unflushed_event_ = update.t;
    width_ = update.frame_width;
    height_ = update.frame_height;
  }
  try {
    check(pipeline_.apply(update));
  } catch (const std::exception& e) {
    fail({RecorderFailureKind::encoder_error, e.what()});
  }
}

void Recorder::Impl::handle_input(const InputItem& item) {
  if (failed_) return;
  latest_t_ = std::max(latest_t_, item.t);
  bool had_pending = events_.has_pending();
  switch (item.type) {
    case InputItem::Type::layout: {
      std::string layout = keyboard_ ? keyboard_->set_layout(item.value) : std::string();
      events_.add(item.t, "layout",
                  {{"klid", fmt::format("0x{:08x}", item.value)}, {"xkb", layout}});
      break;
    }
    case InputItem::Type::sync:
      if (keyboard_) keyboard_->sync(item.value);
      break;
    case InputItem::Type::key:
      handle_key(item);
      break;
    case InputItem::Type::unicode:
      handle_unicode(item);
      break;
    case InputItem::Type::mouse:
      handle_mouse(item);
      break;
    case InputItem::Type::event: {
      if (!EventLog::known_kind(item.kind)) {
        ++events_dropped_;
        break;
      }
      json fields = json::parse(item.fields, nullptr, false);
      if (fields.is_discarded() || !fields.is_object()) fields = {{"fields_invalid", true}};
      events_.add(item.t, item.kind, fields);
      break;
    }
  }
  if (!had_pending && events_.has_pending()) first_unflushed_event_ = item.t;
}

void Recorder::Impl::handle_key(const InputItem& item) {
  if (!keyboard_) return;
  KeyResult key = keyboard_->key(static_cast<std::uint16_t>(item.value), item.code);
  if (!key.down) return;  // releases only update the modifier state
  events_.add(item.t, "key",
              {{"sc", item.code},
               {"ext", (item.value & kKeyExtended) != 0},
               {"down", true},
               {"text", key.text},
               {"name", key.name}});
  if (auto line = lines_.on_key(key, item.t))
    events_.add(item.t, "text", {{"line", line->line}, {"end", line->end}});
}

void Recorder::Impl::handle_unicode(const InputItem& item) {
  if (!keystrokes_ || (item.value & kKeyRelease)) return;
  char16_t unit = item.code;
  std::u32string cp;
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    high_surrogate_ = unit;  // the low half follows in the next event
    return;
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) {
    if (high_surrogate_ == 0) return;
    cp.push_back(0x10000 + ((char32_t{high_surrogate_} - 0xD800) << 10) + (unit - 0xDC00));
  } else {
    cp.push_back(unit);
  }
  high_surrogate_ = 0;
  std::string text = utf32_to_utf8(cp);
  events_.add(item.t, "unicode", {{"text", text}});
  if (auto line = lines_.on_text(text, item.t))
    events_.add(item.t, "text", {{"line", line->line}, {"end", line->end}});
}

void Recorder::Impl::handle_mouse(const InputItem& item) {
  const char* button = (item.value & 0x1000) ? "left" : (item.value & 0x2000) ? "right" : "middle";
  events_.add(item.t, "click", {{"button", button}, {"x", item.x}, {"y", item.y}});
  if (keystrokes_) {
    if (auto line = lines_.on_focus_change())
      events_.add(item.t, "text", {{"line", line->line}, {"end", line->end}});
  }
}

void Recorder::Impl::after_step(SessionTime now) {
  if (failed_) return;
  try {
    check(pipeline_.tick(now));
  } catch (const std::exception& e) {
    fail({RecorderFailureKind::encoder_error, e.what()});
    return;
  }
  if (keystrokes_) {
    if (auto line = lines_.on_time(now)) {
      events_.add(now, "text", {{"line", line->line}, {"end", line->end}});
      if (!first_unflushed_event_) first_unflushed_event_ = now;
    }
  }
  if (first_unflushed_event_ &&
      now - *first_unflushed_event_ >= std::chrono::seconds(options_.flush_seconds))
    flush_events();
}

void Recorder::Impl::flush_events() {
  first_unflushed_event_.reset();
  std::vector<EventRecord> written;
  if (auto ec = events_.flush(written)) {
    fail(io_failure(ec, "write events.jsonl"));
    return;
  }
  if (written.empty()) return;
  events_written_ += written.size();
  observer_.on_events(written);
}

void Recorder::Impl::finish(const StopRequest& stop) {
  SessionTime end = std::max(stop.end, latest_t_);
  if (!failed_) {
    if (keystrokes_) {
      if (auto line = lines_.on_focus_change())
        events_.add(end, "text", {{"line", line->line}, {"end", "idle"}});
    }
    try {
      check(pipeline_.finish(end));
    } catch (const std::exception& e) {
      fail({RecorderFailureKind::encoder_error, e.what()});
    }
  }
  end = std::max(end, pipeline_.video_end());
  if (!failed_) {
    events_.add(end, "recording.stop", {{"reason", stop.reason}});
    flush_events();
  }
  Manifest& m = writer_.manifest();
  m.complete = !failed_;
  m.end_reason = stop.reason;
  m.duration_ms = end.count();
  if (auto ec = writer_.save_manifest()) fail(io_failure(ec, "write manifest.json"));
  RecordingSummary summary;
  summary.duration = end;
  summary.segments = static_cast<int>(m.segments.size());
  summary.bytes = writer_.bytes_written();
  summary.complete = !failed_;
  result_ = summary;
}

void Recorder::Impl::fail(RecorderFailure failure) {
  if (failed_.exchange(true)) return;
  // Best effort: the failure itself goes to the event log when the log can still be written.
  events_.add(latest_t_, "recording.failure",
              {{"failure", to_string(failure.kind)}, {"message", failure.message}});
  std::vector<EventRecord> written;
  if (!events_.flush(written) && !written.empty()) observer_.on_events(written);
  observer_.on_failure(failure);
}

void Recorder::Impl::check(Outcome outcome) {
  if (outcome) fail(std::move(*outcome));
}

std::chrono::milliseconds Recorder::Impl::wait_time(SessionTime now) const {
  std::optional<SessionTime> next = pipeline_.next_deadline();
  auto earliest = [&](std::optional<SessionTime> d) {
    if (d && (!next || *d < *next)) next = d;
  };
  if (first_unflushed_event_)
    earliest(*first_unflushed_event_ + std::chrono::seconds(options_.flush_seconds));
  if (keystrokes_) earliest(lines_.idle_deadline());
  if (!next) return std::chrono::milliseconds(1000);
  return std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*next - now),
                    std::chrono::milliseconds(1), std::chrono::milliseconds(200));
}

void Recorder::Impl::update_counters() {
  const VideoStats& s = pipeline_.stats();
  frames_encoded_ = s.frames;
  keyframes_ = s.keyframes;
  bytes_written_ = writer_.bytes_written();
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    encoder_cpu_us_ = static_cast<std::uint64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace rdpwarden::codec
