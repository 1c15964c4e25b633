#include "rdp/delay_histogram.hpp"
#include <algorithm>

#include <fmt/format.h>

namespace rdpwarden::server::rdp {

void DelayHistogram::record(std::chrono::steady_clock::duration delay) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
  ++buckets_[static_cast<std::size_t>(std::clamp<long long>(ms, 0, kBuckets - 1))];
  ++count_;
  max_ = std::max(max_, delay);
}

int DelayHistogram::quantile_ms(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1));
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[static_cast<std::size_t>(i)];
    if (seen > rank) return i;
  }
  return kBuckets - 1;
}

std::string DelayHistogram::summary() const {
  if (count_ == 0) return "none";
  return fmt::format("n {}, p50 {} ms, p99 {} ms, max {:.1f} ms", count_, quantile_ms(0.5),
                     quantile_ms(0.99), std::chrono::duration<double, std::milli>(max_).count());
}

}  // namespace rdpwarden::server::rdp
