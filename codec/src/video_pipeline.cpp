#include "video_pipeline.hpp"
#include <algorithm>
#include <sys/statvfs.h>

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

#include "recorder_failure.hpp"

namespace rdpwarden::codec {
namespace {

constexpr int kMaxDimension = 8192;

std::span<const std::uint8_t> bytes_of(const std::vector<std::uint8_t>& v) {
  return v;
}

// What a frame costs a player that seeks into its segment, in frames: Chromium decodes a
// 1080p frame in ~1.6 ms plus ~0.25 ms per KiB (tests/bench/RESULTS.md), so every further
// 6.4 KiB weigh as much as one more frame. Typing frames (tens to hundreds of bytes) count
// one each; a window being dragged (~17 KiB a frame) counts about four.
constexpr std::size_t kBytesPerFrameCost = 6554;

std::int64_t decode_cost(std::size_t bytes) {
  return 1 + static_cast<std::int64_t>(bytes / kBytesPerFrameCost);
}

}  // namespace

VideoPipeline::VideoPipeline(const RecorderOptions& options, SegmentWriter& writer,
                             std::function<void(const SegmentRecord&)> on_segment)
    : options_(options),
      writer_(writer),
      on_segment_(std::move(on_segment)),
      interval_ms_(1000 / std::clamp(options.max_fps, 1, 60)),
      segment_frames_(std::max<std::int64_t>(
          1, std::int64_t{options.segment_seconds} * std::clamp(options.max_fps, 1, 60))) {}

VideoPipeline::~VideoPipeline() = default;

Outcome VideoPipeline::apply(const VideoUpdate& update) {
  if (update.frame_width > 0 && (update.frame_width != width_ || update.frame_height != height_)) {
    if (auto failure = resize(update.frame_width, update.frame_height, update.t)) return failure;
  }
  // The cursor state is kept here too: it may arrive before the first frame, and a resize
  // makes a new canvas that must show the same cursor.
  if (update.cursor_shape) cursor_ = *update.cursor_shape;
  if (update.cursor_position) cursor_position_ = *update.cursor_position;
  if (update.cursor_visible) cursor_visible_ = *update.cursor_visible;
  if (!canvas_) return std::nullopt;
  for (const auto& p : update.patches)
    canvas_->apply_patch(p.rect, p.bgrx.data(), p.rect.width * 4);
  if (update.cursor_shape) canvas_->set_cursor(*update.cursor_shape);
  if (update.cursor_position)
    canvas_->set_cursor_position(update.cursor_position->first, update.cursor_position->second);
  if (update.cursor_visible) canvas_->set_cursor_visible(*update.cursor_visible);
  if (canvas_->dirty()) latest_change_ = std::max(latest_change_, update.t);
  return maybe_emit(update.t);
}

Outcome VideoPipeline::resize(int width, int height, SessionTime t) {
  if (width > kMaxDimension || height > kMaxDimension || width < 2 || height < 2) {
    return RecorderFailure{RecorderFailureKind::encoder_error,
                           fmt::format("desktop size {}x{} is not recordable", width, height)};
  }
  if (writer_.segment_open()) {
    if (auto failure = close_segment(t)) return failure;
  }
  width_ = width;
  height_ = height;
  const int even_w = (width + 1) & ~1;
  const int even_h = (height + 1) & ~1;
  canvas_ = std::make_unique<YuvCanvas>(even_w, even_h);
  unchanged_.assign(canvas_->rendered_macroblocks().size(), 0);
  canvas_->set_cursor(cursor_);
  canvas_->set_cursor_position(cursor_position_.first, cursor_position_.second);
  canvas_->set_cursor_visible(cursor_visible_);
  encoder_ = std::make_unique<H264Encoder>(even_w, even_h, options_.max_fps, options_.encoder);
  muxer_ = std::make_unique<Fmp4Muxer>(encoder_->stream());
  if (options_.thumbnail_seconds > 0) {
    thumbnailer_ = std::make_unique<Thumbnailer>(even_w, even_h, options_.thumbnail_width);
    writer_.manifest().thumbnail_interval_ms = options_.thumbnail_seconds * 1000;
    writer_.manifest().thumbnail_width = thumbnailer_->width();
    writer_.manifest().thumbnail_height = thumbnailer_->height();
  }
  pending_.reset();
  need_repeat_ = false;
  have_frame_ = false;
  latest_change_ = t;
  if (auto ec =
          writer_.add_init(bytes_of(muxer_->init()), even_w, even_h, encoder_->codec_string()))
    return io_failure(ec, "write init segment");
  if (live_) set_live(live_);  // a new header for the viewer
  return std::nullopt;
}

Outcome VideoPipeline::maybe_emit(SessionTime now) {
  if (!canvas_ || !canvas_->dirty()) return std::nullopt;
  if (have_frame_ && now < last_pts_ + std::chrono::milliseconds(interval_ms_)) return std::nullopt;
  SessionTime pts = latest_change_;
  if (have_frame_) pts = std::max(pts, last_pts_ + std::chrono::milliseconds(interval_ms_));
  return emit(std::min(pts, std::max(now, latest_change_)), false);
}

void VideoPipeline::mux_pending(SessionTime until) {
  if (!pending_) return;
  std::int64_t end = std::max<std::int64_t>(until.count(), pending_->pts + 1);
  muxer_->add(*pending_, end - pending_->pts);
  timeline_end_ = SessionTime(end);
  pending_.reset();
}

void VideoPipeline::encode_repeat() {
  // The unchanged picture at the flush time: all skip blocks, a few dozen bytes.
  EncodedFrame repeat =
      encoder_->encode(canvas_->picture(), timeline_end_.count(), false, {unchanged_, {}});
  send_live(repeat);
  pending_ = std::move(repeat);
  ++stats_.frames;
  segment_cost_ += decode_cost(pending_->data.size());
}

Outcome VideoPipeline::emit(SessionTime pts, bool idr) {
  if (have_frame_) pts = std::max(pts, last_pts_ + std::chrono::milliseconds(1));
  pts = std::max(pts, timeline_end_);
  if (need_repeat_) {
    if (pts > timeline_end_ && !pending_) encode_repeat();
    need_repeat_ = false;
  }
  const bool full =
      segment_cost_ >= segment_frames_ ||
      (options_.segment_max_seconds > 0 &&
       pts - writer_.segment_start() >= std::chrono::seconds(options_.segment_max_seconds));
  if (writer_.segment_open() && full) {
    if (auto failure = close_segment(pts)) return failure;
  }
  if (!writer_.segment_open()) {
    if (auto ec = writer_.open_segment(pts)) return io_failure(ec, "open segment");
    segment_cost_ = 0;
    idr = true;
  } else {
    mux_pending(pts);
  }
  const AVFrame& picture = canvas_->render();
  const bool key = idr || force_idr_ || (live_ && live_needs_key_);
  EncodedFrame frame = encoder_->encode(
      picture, pts.count(), key, {canvas_->rendered_macroblocks(), canvas_->rendered_scroll()});
  force_idr_ = false;
  if (frame.keyframe) ++stats_.keyframes;
  ++stats_.frames;
  segment_cost_ += decode_cost(frame.data.size());
  have_frame_ = true;
  last_pts_ = pts;
  send_live(frame);
  pending_ = std::move(frame);
  if (!unflushed_) first_unflushed_ = pts;
  unflushed_ = true;
  return write_thumbnail(pts);
}

Outcome VideoPipeline::close_segment(SessionTime end) {
  if (need_repeat_ && !pending_ && end > timeline_end_) encode_repeat();
  need_repeat_ = false;
  mux_pending(end);
  auto fragment = muxer_->flush();
  if (auto ec = writer_.append(fragment)) return io_failure(ec, "write segment");
  SegmentRecord record;
  if (auto ec = writer_.close_segment(timeline_end_, record))
    return io_failure(ec, "close segment");
  ++stats_.segments;
  unflushed_ = false;
  on_segment_(record);
  return std::nullopt;
}

Outcome VideoPipeline::flush(SessionTime now) {
  if (pending_) {
    mux_pending(now);
    need_repeat_ = true;
  }
  auto fragment = muxer_->flush();
  if (auto ec = writer_.append(fragment)) return io_failure(ec, "write segment");
  unflushed_ = false;
  struct statvfs fs {};
  if (::statvfs(writer_.dir().c_str(), &fs) == 0) {
    std::uint64_t free_bytes = std::uint64_t{fs.f_bavail} * fs.f_frsize;
    if (free_bytes < options_.min_free_bytes) {
      return RecorderFailure{
          RecorderFailureKind::disk_full,
          fmt::format("only {} MiB free under {} (minimum {} MiB)", free_bytes >> 20,
                      writer_.dir().string(), options_.min_free_bytes >> 20)};
    }
  }
  return std::nullopt;
}

Outcome VideoPipeline::tick(SessionTime now) {
  if (auto failure = maybe_emit(now)) return failure;
  if (unflushed_ && now - first_unflushed_ >= std::chrono::seconds(options_.flush_seconds))
    return flush(now);
  return std::nullopt;
}

std::optional<SessionTime> VideoPipeline::next_deadline() const {
  std::optional<SessionTime> next;
  if (canvas_ && canvas_->dirty())
    next = have_frame_ ? last_pts_ + std::chrono::milliseconds(interval_ms_) : latest_change_;
  if (unflushed_) {
    SessionTime f = first_unflushed_ + std::chrono::seconds(options_.flush_seconds);
    next = next ? std::min(*next, f) : f;
  }
  return next;
}

Outcome VideoPipeline::force_keyframe(SessionTime now) {
  if (!canvas_) return std::nullopt;
  force_idr_ = true;
  if (canvas_->dirty()) return maybe_emit(now);
  SessionTime pts = std::max(now, have_frame_ ? last_pts_ + std::chrono::milliseconds(1) : now);
  return emit(pts, true);
}

Outcome VideoPipeline::finish(SessionTime end) {
  if (!canvas_) return std::nullopt;
  if (canvas_->dirty()) {
    SessionTime pts = std::max(
        latest_change_, have_frame_ ? last_pts_ + std::chrono::milliseconds(1) : latest_change_);
    if (auto failure = emit(pts, false)) return failure;
  }
  if (!writer_.segment_open()) return std::nullopt;
  SessionTime last = pending_ ? SessionTime(pending_->pts + 1) : timeline_end_;
  return close_segment(std::max(end, last));
}

void VideoPipeline::set_live(std::shared_ptr<LiveSubscriber> live) {
  live_ = std::move(live);
  live_muxer_.reset();
  if (!live_ || !encoder_) return;
  live_muxer_ = std::make_unique<Fmp4Muxer>(encoder_->stream());
  const auto& init = live_muxer_->init();
  live_->on_live_init({reinterpret_cast<const std::byte*>(init.data()), init.size()},
                      encoder_->codec_string(), width_, height_);
  live_needs_key_ = true;
  live_next_pts_ = 0;
}

void VideoPipeline::send_live(const EncodedFrame& frame) {
  if (!live_ || !live_muxer_) return;
  if (live_needs_key_ && !frame.keyframe) return;
  live_needs_key_ = false;
  // Each live sample gets a nominal duration of one frame interval (the next change is not
  // known yet). A frame that follows sooner (a repeat or forced keyframe) is moved to the end
  // of the previous one, at most one interval late, so live decode times never overlap.
  EncodedFrame live = frame;
  live.pts = std::max(frame.pts, live_next_pts_);
  live_next_pts_ = live.pts + interval_ms_;
  // A fresh muxer per fragment (~50 µs): libavformat derives a fragment's decode time from
  // the previous fragments' durations, which are nominal here; a new muxer takes it from the
  // sample itself.
  Fmp4Muxer muxer(encoder_->stream());
  muxer.add(live, interval_ms_);
  auto fragment = muxer.flush();
  live_->on_live_fragment({reinterpret_cast<const std::byte*>(fragment.data()), fragment.size()},
                          SessionTime(live.pts), live.keyframe);
}

Outcome VideoPipeline::write_thumbnail(SessionTime pts) {
  if (!thumbnailer_) return std::nullopt;
  if (next_thumbnail_ && pts < *next_thumbnail_) return std::nullopt;
  next_thumbnail_ = pts + std::chrono::seconds(options_.thumbnail_seconds);
  auto jpeg = thumbnailer_->jpeg(canvas_->picture());
  std::string name = fmt::format("thumbs/t-{:08d}.jpg", pts.count());
  std::error_code ec;
  std::filesystem::create_directories(writer_.dir() / "thumbs", ec);
  if (!ec) ec = write_file_atomic(writer_.dir() / name, jpeg);
  if (ec) return io_failure(ec, "write thumbnail");
  writer_.manifest().thumbnails.push_back({pts.count(), name});
  return std::nullopt;
}

}  // namespace rdpwarden::codec
