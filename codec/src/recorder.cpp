#include <cstring>

#include <fmt/format.h>

#include <rdpwarden/codec/disk_space.hpp>
#include <rdpwarden/codec/recorder.hpp>
#include <rdpwarden/codec/recording_error.hpp>

#include "av_log.hpp"
#include "recorder_impl.hpp"

namespace rdpwarden::codec {
namespace {

Manifest initial_manifest(const RecorderOptions& o) {
  Manifest m;
  m.session_id = o.session_id;
  m.started_at = iso8601_utc(o.started_at);
  return m;
}

// The options after clamping what would make no sense (hostile or mistyped config).
RecorderOptions sanitized(RecorderOptions o) {
  o.max_fps = std::clamp(o.max_fps, 1, 60);
  o.segment_seconds = std::max(1, o.segment_seconds);
  o.flush_seconds = std::max(1, o.flush_seconds);
  o.segment_max_seconds = std::max(0, o.segment_max_seconds);
  o.thumbnail_seconds = std::max(0, o.thumbnail_seconds);
  o.queue_frames = std::clamp(o.queue_frames, 1, 1000);
  return o;
}

}  // namespace

Recorder::Impl::Impl(RecorderOptions options, RecorderObserver& observer)
    : options_(sanitized(std::move(options))),
      observer_(observer),
      queue_(static_cast<std::size_t>(options_.queue_frames)),
      writer_(options_.session_dir, initial_manifest(options_)),
      pipeline_(options_, writer_,
                [this](const SegmentRecord& s) {
                  ++segments_closed_;
                  observer_.on_segment_closed(s);
                }),
      keyboard_(options_.keystrokes ? std::make_unique<KeyboardTranslator>() : nullptr),
      keystrokes_(options_.keystrokes) {
  const auto& dir = options_.session_dir;
  if (auto ec = writer_.save_manifest())
    throw RecordingError(
        fmt::format("cannot write {}: {}", (dir / kManifestFile).string(), ec.message()));
  if (auto ec = events_.open(dir))
    throw RecordingError(
        fmt::format("cannot write {}: {}", (dir / kEventsFile).string(), ec.message()));
}

Recorder::Impl::~Impl() {
  if (thread_.joinable()) stop("aborted", now());
}

void Recorder::Impl::start_thread() {
  thread_ = std::thread([this] { run(); });
}

SessionTime Recorder::Impl::now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<SessionTime>(std::chrono::steady_clock::now() - started_);
}

RecordingSummary Recorder::Impl::stop(std::string_view reason, SessionTime end) {
  std::lock_guard lock(stop_mutex_);
  if (summary_) return *summary_;
  queue_.request_stop({std::string(reason), end});
  if (thread_.joinable()) thread_.join();
  summary_ = result_.value_or(RecordingSummary{});
  return *summary_;
}

void Recorder::Impl::push_frame(const FrameView& frame, std::span<const Rect> dirty,
                                SessionTime t) {
  ++updates_received_;
  if (failed_ || !frame.pixels || frame.width <= 0 || frame.height <= 0) {
    ++updates_dropped_;
    return;
  }
  const Rect bounds{0, 0, frame.width, frame.height};
  VideoUpdate update;
  update.t = t;
  update.frame_width = frame.width;
  update.frame_height = frame.height;
  std::int64_t area = 0;
  for (const Rect& r : dirty)
    area += static_cast<std::int64_t>(intersect(r, bounds).width) * intersect(r, bounds).height;
  // Most of the screen changed: one copy of the frame is cheaper than many overlapping ones.
  const bool whole = area * 2 > static_cast<std::int64_t>(frame.width) * frame.height;
  std::span<const Rect> rects = whole ? std::span<const Rect>(&bounds, 1) : dirty;
  for (const Rect& r : rects) {
    Rect c = intersect(r, bounds);
    if (c.empty()) continue;
    Patch p{c, std::vector<std::uint8_t>(static_cast<std::size_t>(c.width) * c.height * 4)};
    for (int y = 0; y < c.height; ++y)
      std::memcpy(p.bgrx.data() + static_cast<std::size_t>(y) * c.width * 4,
                  frame.row(c.y + y) + static_cast<std::ptrdiff_t>(c.x) * 4,
                  static_cast<std::size_t>(c.width) * 4);
    update.patches.push_back(std::move(p));
  }
  if (queue_.push_video(std::move(update), &frame)) ++updates_merged_;
}

void Recorder::Impl::push_cursor(VideoUpdate&& update) {
  if (failed_) return;
  if (queue_.push_video(std::move(update), nullptr)) ++updates_merged_;
}

void Recorder::Impl::push_input(InputItem&& item) {
  if (failed_) return;
  if (!queue_.push_input(std::move(item))) ++events_dropped_;
}

// ---- Recorder ----

std::unique_ptr<Recorder> Recorder::start(RecorderOptions options, RecorderObserver& observer) {
  av::quiet_logs();
  std::error_code ec;
  std::filesystem::create_directory(options.session_dir, ec);
  if (ec)
    throw RecordingError(fmt::format("cannot create recording folder {}: {}",
                                     options.session_dir.string(), ec.message()));
  SpaceCheck space = check_recording_space(options.session_dir, options.min_free_bytes);
  if (!space.ok) throw RecordingError(space.message);
  auto impl = std::make_unique<Impl>(std::move(options), observer);
  impl->start_thread();
  return std::unique_ptr<Recorder>(new Recorder(std::move(impl)));
}

Recorder::Recorder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Recorder::~Recorder() = default;

RecordingSummary Recorder::stop(std::string_view end_reason, SessionTime end) {
  return impl_->stop(end_reason, end);
}

void Recorder::request_keyframe() {
  impl_->queue_.request_keyframe();
}

void Recorder::set_live_subscriber(std::shared_ptr<LiveSubscriber> subscriber) {
  impl_->queue_.set_live(std::move(subscriber));
}

RecorderCounters Recorder::counters() const {
  const Impl& i = *impl_;
  RecorderCounters c;
  c.updates_received = i.updates_received_;
  c.updates_merged = i.updates_merged_;
  c.updates_dropped = i.updates_dropped_;
  c.frames_encoded = i.frames_encoded_;
  c.keyframes = i.keyframes_;
  c.bytes_written = i.bytes_written_;
  c.segments_closed = i.segments_closed_;
  c.events_written = i.events_written_;
  c.events_dropped = i.events_dropped_;
  c.encoder_cpu_us = i.encoder_cpu_us_;
  c.queue_depth = i.queue_.video_depth();
  c.failed = i.failed_;
  return c;
}

void Recorder::on_frame(const FrameView& frame, std::span<const Rect> dirty, SessionTime t) {
  try {
    impl_->push_frame(frame, dirty, t);
  } catch (const std::exception&) {
    ++impl_->updates_dropped_;  // out of memory: this update is lost, the session goes on
  }
}

void Recorder::on_resize(int, int, SessionTime) {
  // The next on_frame carries the new size and the whole frame; the size change is handled
  // in order with the pixels there.
}

void Recorder::on_cursor_shape(const CursorImage& cursor, SessionTime t) {
  try {
    VideoUpdate u;
    u.t = t;
    u.cursor_shape = cursor;
    impl_->push_cursor(std::move(u));
  } catch (const std::exception&) {
    ++impl_->updates_dropped_;
  }
}

void Recorder::on_cursor_position(int x, int y, SessionTime t) {
  try {
    VideoUpdate u;
    u.t = t;
    u.cursor_position = std::make_pair(x, y);
    impl_->push_cursor(std::move(u));
  } catch (const std::exception&) {
    ++impl_->updates_dropped_;
  }
}

void Recorder::on_cursor_visible(bool visible, SessionTime t) {
  try {
    VideoUpdate u;
    u.t = t;
    u.cursor_visible = visible;
    impl_->push_cursor(std::move(u));
  } catch (const std::exception&) {
    ++impl_->updates_dropped_;
  }
}

namespace {

template <typename F>
void guarded_input(Recorder::Impl& impl, F&& make) {
  try {
    impl.push_input(make());
  } catch (const std::exception&) {
    ++impl.events_dropped_;
  }
}

}  // namespace

void Recorder::on_keyboard_layout(std::uint32_t klid, SessionTime t) {
  guarded_input(*impl_, [&] { return InputItem::make(InputItem::Type::layout, t, klid); });
}

void Recorder::on_keyboard_sync(std::uint32_t toggle_flags, SessionTime t) {
  guarded_input(*impl_, [&] { return InputItem::make(InputItem::Type::sync, t, toggle_flags); });
}

void Recorder::on_key(std::uint16_t flags, std::uint16_t scancode, SessionTime t) {
  if (!impl_->options_.keystrokes) return;
  guarded_input(*impl_, [&] { return InputItem::make(InputItem::Type::key, t, flags, scancode); });
}

void Recorder::on_unicode(std::uint16_t flags, std::uint16_t code_unit, SessionTime t) {
  if (!impl_->options_.keystrokes) return;
  guarded_input(*impl_,
                [&] { return InputItem::make(InputItem::Type::unicode, t, flags, code_unit); });
}

void Recorder::on_mouse(std::uint16_t flags, int x, int y, SessionTime t) {
  constexpr std::uint16_t kDown = 0x8000;
  constexpr std::uint16_t kButtons = 0x1000 | 0x2000 | 0x4000;
  if (!(flags & kDown) || !(flags & kButtons) || (flags & 0x0200)) return;  // clicks only
  guarded_input(*impl_, [&] { return InputItem::make(InputItem::Type::mouse, t, flags, 0, x, y); });
}

void Recorder::on_event(std::string_view kind, std::string_view json_fields, SessionTime t) {
  guarded_input(*impl_, [&] {
    InputItem item = InputItem::make(InputItem::Type::event, t);
    item.kind = kind;
    item.fields = json_fields;
    return item;
  });
}

}  // namespace rdpwarden::codec
