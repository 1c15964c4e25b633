#pragma once
// How long the relay holds the target's changes: from the moment the target's picture was
// painted into the session's framebuffer to the moment its re-encoding was handed to the
// client's connection. Kept as a histogram of whole milliseconds, summarised in the session's
// statistics, so that "where does the added latency go" has an answer from any session's log.

#include <array>
#include <chrono>
#include <cstdint>
#include <string>

namespace rdpwarden::server::rdp {

class DelayHistogram {
 public:
  void record(std::chrono::steady_clock::duration delay);
  std::uint64_t count() const { return count_; }
  // The q-quantile (0..1) in milliseconds, to the bucket (the last bucket means "that or more").
  int quantile_ms(double q) const;
  // "n 123, p50 1 ms, p99 4 ms, max 9 ms" (or "none").
  std::string summary() const;

 private:
  static constexpr int kBuckets = 1000;  // 0..999 ms, the last one open-ended
  std::array<std::uint32_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::chrono::steady_clock::duration max_{};
};

}  // namespace rdpwarden::server::rdp
