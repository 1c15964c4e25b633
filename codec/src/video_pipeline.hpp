#pragma once
// The recorder thread's video path: applies updates to the canvas, decides when a frame is
// emitted (only on change, at most max_fps), encodes it, and keeps the fMP4 timeline
// contiguous while writing segments.
//
// Timeline: a frame's duration is only known when the next frame arrives, so the newest
// encoded frame waits in `pending_`. A periodic flush (flush_seconds) must make it durable
// anyway: it is written with its duration up to the flush time, and when the next change
// comes a tiny "repeat" P-frame (the unchanged picture, all skip blocks, ~70 bytes) fills the
// gap from the flush time to the change. So the media timeline has no holes (Media Source
// Extensions stall at holes) and a crash loses at most the time since the last flush.
//
// Every method reports a failure as a returned RecorderFailure; encoder errors come as
// RecordingError exceptions, which the caller converts.

#include <functional>
#include <memory>
#include <optional>

#include <rdpwarden/codec/live_subscriber.hpp>
#include <rdpwarden/codec/recorder_observer.hpp>
#include <rdpwarden/codec/recorder_options.hpp>

#include "fmp4_muxer.hpp"
#include "h264_encoder.hpp"
#include "segment_writer.hpp"
#include "thumbnailer.hpp"
#include "video_update.hpp"
#include "yuv_canvas.hpp"

namespace rdpwarden::codec {

struct VideoStats {
  std::uint64_t frames = 0;
  std::uint64_t keyframes = 0;
  std::uint64_t segments = 0;
};

using Outcome = std::optional<RecorderFailure>;  // nullopt: fine

class VideoPipeline {
 public:
  VideoPipeline(const RecorderOptions& options, SegmentWriter& writer,
                std::function<void(const SegmentRecord&)> on_segment);
  ~VideoPipeline();

  Outcome apply(const VideoUpdate& update);
  // Emits a frame whose rate-cap deadline has passed and flushes when flush_seconds passed.
  Outcome tick(SessionTime now);
  // The next frame is an IDR; when nothing changed, the current picture is encoded as one.
  Outcome force_keyframe(SessionTime now);
  // Encodes what is left and closes the last segment at `end`.
  Outcome finish(SessionTime end);

  void set_live(std::shared_ptr<LiveSubscriber> live);
  // When the next tick() needs to run (nullopt: nothing pending).
  std::optional<SessionTime> next_deadline() const;
  SessionTime video_end() const { return timeline_end_; }
  const VideoStats& stats() const { return stats_; }

 private:
  Outcome resize(int width, int height, SessionTime t);
  Outcome maybe_emit(SessionTime now);
  Outcome emit(SessionTime pts, bool idr);
  Outcome close_segment(SessionTime end);
  Outcome flush(SessionTime now);
  void mux_pending(SessionTime until);
  void encode_repeat();
  void send_live(const EncodedFrame& frame);
  Outcome write_thumbnail(SessionTime pts);

  const RecorderOptions& options_;
  SegmentWriter& writer_;
  std::function<void(const SegmentRecord&)> on_segment_;
  std::int64_t interval_ms_;
  std::int64_t segment_frames_;

  int width_ = 0;  // framebuffer size (the canvas is rounded up to even)
  int height_ = 0;
  std::unique_ptr<YuvCanvas> canvas_;
  std::vector<std::uint8_t> unchanged_;  // a repeat frame's macroblock map: nothing changed
  std::unique_ptr<H264Encoder> encoder_;
  std::unique_ptr<Fmp4Muxer> muxer_;
  std::unique_ptr<Thumbnailer> thumbnailer_;
  CursorImage cursor_;
  std::pair<int, int> cursor_position_{0, 0};
  bool cursor_visible_ = true;

  std::optional<EncodedFrame> pending_;  // encoded, duration not known yet
  bool have_frame_ = false;
  SessionTime last_pts_{0};
  SessionTime latest_change_{0};
  SessionTime timeline_end_{0};  // end of the last sample written to the muxer
  bool need_repeat_ = false;
  bool force_idr_ = false;
  std::int64_t segment_cost_ = 0;  // decode cost of the open segment, in frames
  bool unflushed_ = false;
  SessionTime first_unflushed_{0};
  std::optional<SessionTime> next_thumbnail_;

  std::shared_ptr<LiveSubscriber> live_;
  std::unique_ptr<Fmp4Muxer> live_muxer_;
  bool live_needs_key_ = false;
  std::int64_t live_next_pts_ = 0;
  VideoStats stats_;
};

}  // namespace rdpwarden::codec
