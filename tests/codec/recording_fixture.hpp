#pragma once
// Shared helpers for recorder tests: an observer that keeps what it is told, default options
// for a test recording, and file helpers.

#include <mutex>
#include <vector>

#include <rdpwarden/codec/recorder.hpp>

namespace rdpwarden::test {

class CollectingObserver : public codec::RecorderObserver {
 public:
  void on_segment_closed(const codec::SegmentRecord& segment) override {
    std::lock_guard lock(mutex_);
    segments.push_back(segment);
  }
  void on_events(std::span<const codec::EventRecord> batch) override {
    std::lock_guard lock(mutex_);
    events.insert(events.end(), batch.begin(), batch.end());
  }
  void on_failure(const codec::RecorderFailure& failure) override {
    std::lock_guard lock(mutex_);
    failures.push_back(failure);
  }
  std::vector<codec::SegmentRecord> segments;
  std::vector<codec::EventRecord> events;
  std::vector<codec::RecorderFailure> failures;

 private:
  std::mutex mutex_;
};

// Options for a recording in `dir` driven only by the timestamps the test passes (the clock
// stands still at 0), without thumbnails unless asked.
codec::RecorderOptions test_options(const std::filesystem::path& dir);

std::string read_text(const std::filesystem::path& file);
std::vector<std::string> read_lines(const std::filesystem::path& file);

}  // namespace rdpwarden::test
