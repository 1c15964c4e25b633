#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <rdpwarden/codec/recording_error.hpp>
#include <rdpwarden/codec/seek_index.hpp>

#include "seek_decoder.hpp"
#include "seek_recording.hpp"
#include "seek_snapshot_cache.hpp"

namespace rdpwarden::codec {
namespace {

// Decodes `segment` from its keyframe `first` (or from the cached snapshot nearest before
// `last`) up to sample `last`, keeping a snapshot every `interval` reference frames.
// `stop` ends the pass early (returns nullopt).
class SegmentDecoder {
 public:
  SegmentDecoder(const LoadedSegment& segment, SnapshotCache& cache, int interval)
      : segment_(segment), cache_(cache), interval_(std::max(1, interval)) {}

  h264::PlanarPicture picture_at(std::size_t first, std::size_t last, bool keep,
                                 const std::atomic<bool>* stop = nullptr) {
    const auto& key = segment_.cache_key;
    auto hit = cache_.find(key, static_cast<int>(first), static_cast<int>(last));
    if (hit && static_cast<std::size_t>(hit->frame) == last) return std::move(hit->picture);
    const auto& stream = segment_.stream;
    SeekDecoder decoder(stream.avc.record, stream.sps.width_mbs, stream.sps.height_mbs);
    std::size_t from = first;
    if (hit) {
      auto frame = static_cast<std::size_t>(hit->frame);
      decoder.decode(splice(frame, hit->picture));
      from = frame + 1;
    }
    for (std::size_t i = from; i <= last; ++i) {
      if (stop && stop->load()) throw RecordingError("stopped");
      decoder.decode(segment_.sample(i));
      if (keep && i > first && (i - first) % static_cast<std::size_t>(interval_) == 0 &&
          can_splice(i) && !cache_.contains(key, static_cast<int>(i))) {
        if (!cache_.put(key, static_cast<int>(i), decoder.picture()) && stop)
          throw RecordingError("cache full");
      }
    }
    return decoder.picture();
  }

  // Whether sample `i` can be replaced by an intra picture: the frames after it must
  // reference it and nothing older (one reference frame; x264 superfast uses one).
  bool can_splice(std::size_t i) const {
    return segment_.stream.sps.max_num_ref_frames <= 1 && segment_.slice_header(i).nal_ref_idc != 0;
  }

  std::vector<std::uint8_t> splice(std::size_t i, const h264::PlanarPicture& picture) const {
    const auto& s = segment_.stream;
    return h264::write_pcm_access_unit(s.sps, s.pps, segment_.slice_header(i), picture,
                                       s.avc.length_size);
  }

 private:
  const LoadedSegment& segment_;
  SnapshotCache& cache_;
  int interval_;
};

std::size_t keyframe_before(const LoadedSegment& segment, std::size_t k) {
  for (std::size_t i = k + 1; i-- > 0;)
    if (segment.keyframe(i)) return i;
  throw RecordingError(segment.segment.file + " does not start with a keyframe");
}

}  // namespace

class SeekIndex::Impl {
 public:
  explicit Impl(SeekIndexOptions options)
      : options_(options), cache_(options.cache_bytes), worker_([this] { run(); }) {}

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    stopping_ = true;
    wake_.notify_all();
    worker_.join();
  }

  SeekFragment fragment_at(const std::filesystem::path& dir, SessionTime t, bool include_partial) {
    SeekRecording recording = SeekRecording::load(dir, include_partial);
    LoadedSegment segment = load_segment(recording, recording.at(t));
    std::size_t k = segment.sample_at(t);
    std::size_t key = keyframe_before(segment, k);
    SegmentDecoder decoder(segment, cache_, options_.snapshot_interval);
    std::vector<std::uint8_t> first;
    if (k != key && !decoder.can_splice(k)) {
      k = key;  // cannot splice here: play from the keyframe (slower, still exact)
    }
    if (k == key) {
      auto sample = segment.sample(k);
      first.assign(sample.begin(), sample.end());
    } else {
      first = decoder.splice(k, decoder.picture_at(key, k, true));
    }
    const SegmentSample& s = segment.samples.samples[k];
    SeekFragment out;
    out.init = segment.segment.init;
    out.segment = static_cast<std::uint32_t>(segment.segment.index);
    out.start = SessionTime(s.decode_time);
    out.end = segment.segment.end;
    out.bytes = write_fragment(segment.samples, segment.bytes, first, s.decode_time, s.duration,
                               k + 1, static_cast<std::uint32_t>(k + 1));
    return out;
  }

  void prepare(const std::filesystem::path& dir) {
    {
      std::lock_guard lock(mutex_);
      if (std::find(queue_.begin(), queue_.end(), dir) != queue_.end()) return;
      queue_.push_back(dir);
    }
    wake_.notify_all();
  }

 private:
  void run() {
    while (true) {
      std::filesystem::path dir;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        dir = queue_.front();
      }
      prepare_now(dir);
      std::lock_guard lock(mutex_);
      queue_.pop_front();
    }
  }

  // Decodes every closed segment not prepared before, keeping snapshots; stops when the
  // cache is full (it would only evict what it just kept) or the index is destroyed.
  void prepare_now(const std::filesystem::path& dir) {
    try {
      SeekRecording recording = SeekRecording::load(dir, false);
      std::size_t& done = prepared_[dir.string()];
      for (std::size_t i = done; i < recording.segments.size(); ++i, done = i) {
        LoadedSegment segment = load_segment(recording, recording.segments[i]);
        SegmentDecoder decoder(segment, cache_, options_.snapshot_interval);
        std::size_t key = 0;
        for (std::size_t k = 0; k < segment.samples.samples.size(); ++k) {
          if (segment.keyframe(k)) key = k;
          if (k == segment.samples.samples.size() - 1 || segment.keyframe(k + 1))
            decoder.picture_at(key, k, true, &stopping_);
        }
      }
    } catch (const std::exception&) {
      // A malformed recording, a full cache or shutdown: seeks still work (from keyframes)
      // and report the recording's errors themselves.
    }
  }

  SeekIndexOptions options_;
  SnapshotCache cache_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::filesystem::path> queue_;
  std::map<std::string, std::size_t> prepared_;  // worker thread only
  bool stop_ = false;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

SeekIndex::SeekIndex(SeekIndexOptions options) : impl_(std::make_unique<Impl>(options)) {}
SeekIndex::~SeekIndex() = default;

SeekFragment SeekIndex::fragment_at(const std::filesystem::path& session_dir, SessionTime t,
                                    bool include_partial) {
  return impl_->fragment_at(session_dir, t, include_partial);
}

void SeekIndex::prepare(const std::filesystem::path& session_dir) {
  impl_->prepare(session_dir);
}

}  // namespace rdpwarden::codec
