#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

#include <rdpwarden/codec/disk_space.hpp>
#include <rdpwarden/codec/recording_error.hpp>
#include <rdpwarden/codec/seek_index.hpp>

#include "seek_decoder.hpp"
#include "seek_recording.hpp"
#include "seek_snapshot_cache.hpp"
#include "seek_snapshot_store.hpp"

namespace rdpwarden::codec {
namespace {

namespace fs = std::filesystem;

// Called with each decoded picture worth keeping (every `interval` frames, where the frame
// can be replaced by an intra picture).
using Keep = std::function<void(int frame, const h264::PlanarPicture&)>;

// Decodes `segment` from its keyframe `first` (or from the cached snapshot nearest before
// `last`) up to sample `last`. `stop` ends the pass early (throws).
class SegmentDecoder {
 public:
  SegmentDecoder(const LoadedSegment& segment, SnapshotCache& cache, int interval)
      : segment_(segment), cache_(cache), interval_(std::max(1, interval)) {}

  h264::PlanarPicture picture_at(std::size_t first, std::size_t last, const Keep& keep,
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
      ++decoded_;
      if (keep && i > first && (i - first) % static_cast<std::size_t>(interval_) == 0 &&
          can_splice(i) && !cache_.contains(key, static_cast<int>(i)))
        keep(static_cast<int>(i), decoder.picture());
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

  std::uint64_t decoded() const { return decoded_; }

 private:
  const LoadedSegment& segment_;
  SnapshotCache& cache_;
  int interval_;
  std::uint64_t decoded_ = 0;
};

std::size_t keyframe_before(const LoadedSegment& segment, std::size_t k) {
  for (std::size_t i = k + 1; i-- > 0;)
    if (segment.keyframe(i)) return i;
  throw RecordingError(segment.segment.file + " does not start with a keyframe");
}

std::uint64_t size_of(const fs::path& file) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  return ec ? 0 : size;
}

// Background work must not take CPU from live sessions or from an auditor's requests.
void lower_this_thread_priority() {
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
}

}  // namespace

class SeekIndex::Impl {
 public:
  explicit Impl(SeekIndexOptions options)
      : options_(std::move(options)),
        cache_(options_.cache_bytes),
        store_(options_.store_dir),
        worker_([this] { run(); }) {}

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    stopping_ = true;
    wake_.notify_all();
    worker_.join();
  }

  SeekFragment fragment_at(const fs::path& dir, SessionTime t, bool include_partial) {
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
      load_stored(segment, key, k);
      Keep keep = [&](int frame, const h264::PlanarPicture& p) {
        cache_.put(segment.cache_key, frame, p);
      };
      first = decoder.splice(k, decoder.picture_at(key, k, keep));
    }
    const SegmentSample& s = segment.samples.samples[k];
    SeekFragment out;
    out.init = segment.segment.init;
    out.segment = static_cast<std::uint32_t>(segment.segment.index);
    out.start = SessionTime(s.decode_time);
    out.end = segment.segment.end;
    out.bytes = write_fragment(segment.samples, segment.bytes, first, s.decode_time, s.duration,
                               k + 1, static_cast<std::uint32_t>(k + 1));
    fragments_ += 1;
    fragment_frames_ += decoder.decoded();
    return out;
  }

  void prepare(const fs::path& dir) {
    {
      std::lock_guard lock(mutex_);
      if (std::find(queue_.begin(), queue_.end(), dir) != queue_.end()) return;
      queue_.push_back(dir);
    }
    wake_.notify_all();
  }

  bool wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return idle_.wait_for(lock, timeout, [&] { return queue_.empty(); });
  }

  SeekIndexStats stats() const {
    return {fragments_,         fragment_frames_, snapshots_loaded_,
            segments_prepared_, segments_stored_, prepare_frames_};
  }

 private:
  // When the memory cache has nothing close before frame `k`, reads the segment's stored
  // snapshots (a closed segment prepared earlier, maybe by another process run).
  void load_stored(const LoadedSegment& segment, std::size_t first, std::size_t k) {
    if (!store_.enabled() || segment.segment.partial) return;
    auto interval = static_cast<std::size_t>(std::max(1, options_.snapshot_interval));
    auto hit = cache_.nearest(segment.cache_key, static_cast<int>(first), static_cast<int>(k));
    if (hit && k - static_cast<std::size_t>(*hit) < interval) return;
    auto stored =
        store_.load(session_of(segment), segment.segment.file, size_of(recording_file(segment)));
    if (!stored || stored->width != segment.stream.sps.width_mbs * 16 ||
        stored->height != segment.stream.sps.height_mbs * 16)
      return;
    store_.touch(session_of(segment));
    for (auto& s : stored->snapshots) {
      cache_.put_packed(segment.cache_key, s.frame, stored->width, stored->height,
                        std::move(s.packed));
      snapshots_loaded_ += 1;
    }
  }

  static std::string session_of(const LoadedSegment& segment) {
    return segment.dir.filename().string();
  }
  static fs::path recording_file(const LoadedSegment& segment) {
    return segment.dir / segment.segment.file;
  }

  void run() {
    lower_this_thread_priority();
    auto next_watch = std::chrono::steady_clock::now();
    auto last_look = fs::file_time_type::min();
    while (true) {
      fs::path dir;
      {
        std::unique_lock lock(mutex_);
        if (queue_.empty()) idle_.notify_all();
        auto ready = [&] { return stop_ || !queue_.empty(); };
        if (options_.watch_root.empty())
          wake_.wait(lock, ready);
        else
          wake_.wait_until(lock, next_watch, ready);
        if (stop_) return;
        if (queue_.empty()) {
          lock.unlock();
          last_look = look_for_changes(last_look);
          next_watch = std::chrono::steady_clock::now() + options_.watch_interval;
          continue;
        }
        dir = queue_.front();
      }
      prepare_now(dir);
      std::lock_guard lock(mutex_);
      queue_.pop_front();
    }
  }

  // Queues every session folder under the watched root modified since `since` (a segment
  // closing renames a file in it, so its mtime moves); returns the time of this look. The
  // first look only notes the time: recordings older than the process are prepared when
  // someone opens them.
  fs::file_time_type look_for_changes(fs::file_time_type since) {
    const auto now = fs::file_time_type::clock::now();
    if (since == fs::file_time_type::min()) return now;
    std::error_code ec;
    for (fs::directory_iterator it(options_.watch_root, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::error_code stat_ec;
      if (!it->is_directory(stat_ec)) continue;
      // A second of slack: a change in the same tick as the last look is not missed.
      auto changed = it->last_write_time(stat_ec);
      if (!stat_ec && changed + std::chrono::seconds(1) >= since) prepare(it->path());
    }
    return now;
  }

  // Decodes every closed segment not prepared before, keeping snapshots in memory and, with a
  // store, on disk. Without a store it stops when the memory cache is full (it would only
  // evict what it just kept).
  void prepare_now(const fs::path& dir) {
    try {
      SeekRecording recording = SeekRecording::load(dir, false);
      std::size_t& done = prepared_[dir.string()];
      for (std::size_t i = done; i < recording.segments.size(); ++i, done = i) {
        const auto& s = recording.segments[i];
        if (store_.has(dir.filename().string(), s.file, size_of(dir / s.file))) continue;
        prepare_segment(load_segment(recording, s));
      }
    } catch (const std::exception&) {
      // A malformed recording, a full cache or shutdown: seeks still work (from keyframes)
      // and report the recording's errors themselves.
    }
  }

  void prepare_segment(const LoadedSegment& segment) {
    SegmentDecoder decoder(segment, cache_, options_.snapshot_interval);
    SegmentSnapshots kept{segment.bytes.size(),
                          segment.stream.sps.width_mbs * 16,
                          segment.stream.sps.height_mbs * 16,
                          {}};
    Keep keep = [&](int frame, const h264::PlanarPicture& p) {
      auto packed = SnapshotCache::pack(p);
      if (store_.enabled()) kept.snapshots.push_back({frame, packed});
      bool fit = cache_.put_packed(segment.cache_key, frame, p.width, p.height, std::move(packed));
      if (!fit && !store_.enabled()) throw RecordingError("cache full");
    };
    std::size_t key = 0;
    const auto count = segment.samples.samples.size();
    for (std::size_t k = 0; k < count; ++k) {
      if (segment.keyframe(k)) key = k;
      if (k == count - 1 || segment.keyframe(k + 1)) decoder.picture_at(key, k, keep, &stopping_);
    }
    prepare_frames_ += decoder.decoded();
    segments_prepared_ += 1;
    if (!store_.enabled() ||
        !check_recording_space(options_.store_dir, options_.store_min_free_bytes).ok)
      return;
    if (store_.save(session_of(segment), segment.segment.file, kept)) segments_stored_ += 1;
    auto now = std::chrono::steady_clock::now();
    if (now >= next_trim_) {
      store_.trim(options_.store_max_bytes);
      next_trim_ = now + options_.store_trim_interval;
    }
  }

  SeekIndexOptions options_;
  SnapshotCache cache_;
  SnapshotStore store_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<fs::path> queue_;                         // the front one is being prepared
  std::map<std::string, std::size_t> prepared_;        // worker thread only
  std::chrono::steady_clock::time_point next_trim_{};  // worker thread only
  bool stop_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> fragments_{0}, fragment_frames_{0}, snapshots_loaded_{0},
      segments_prepared_{0}, segments_stored_{0}, prepare_frames_{0};
  std::thread worker_;
};

SeekIndex::SeekIndex(SeekIndexOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
SeekIndex::~SeekIndex() = default;

SeekFragment SeekIndex::fragment_at(const std::filesystem::path& session_dir, SessionTime t,
                                    bool include_partial) {
  return impl_->fragment_at(session_dir, t, include_partial);
}

void SeekIndex::prepare(const std::filesystem::path& session_dir) {
  impl_->prepare(session_dir);
}

bool SeekIndex::wait_idle(std::chrono::milliseconds timeout) {
  return impl_->wait_idle(timeout);
}

SeekIndexStats SeekIndex::stats() const {
  return impl_->stats();
}

}  // namespace rdpwarden::codec
