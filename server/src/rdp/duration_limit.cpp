#include "rdp/duration_limit.hpp"
#include <algorithm>

namespace rdpwarden::server::rdp {

DurationLimit::DurationLimit(std::chrono::minutes limit, std::vector<int> warn_before_minutes)
    : limit_(limit), warnings_(std::move(warn_before_minutes)) {
  std::erase_if(warnings_, [&](int m) { return m <= 0; });
  for (int& m : warnings_)
    m = std::min<int>(m, static_cast<int>(limit_.count()));
  std::sort(warnings_.begin(), warnings_.end(), std::greater<>());
  warnings_.erase(std::unique(warnings_.begin(), warnings_.end()), warnings_.end());
}

std::optional<DurationLimit::Step> DurationLimit::due(std::chrono::milliseconds elapsed) {
  if (unlimited() || ended_) return std::nullopt;
  if (elapsed >= limit_) {
    ended_ = true;
    warnings_.clear();
    return Step{Step::Kind::end, 0};
  }
  // Several warnings may be due at once (a late start): only the nearest one is shown.
  std::optional<Step> step;
  while (!warnings_.empty() && elapsed >= limit_ - std::chrono::minutes(warnings_.front())) {
    step = Step{Step::Kind::warn, warnings_.front()};
    warnings_.erase(warnings_.begin());
  }
  return step;
}

}  // namespace rdpwarden::server::rdp
