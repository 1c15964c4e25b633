#include "web/activity.hpp"
#include <algorithm>

namespace rdpwarden::server::web {

std::vector<IdleStretch> idle_stretches(std::vector<std::int64_t> moments,
                                        const std::vector<std::int64_t>& event_ms,
                                        std::int64_t duration_ms, std::int64_t threshold_ms) {
  moments.insert(moments.end(), event_ms.begin(), event_ms.end());
  moments.push_back(0);
  moments.push_back(duration_ms);
  std::erase_if(moments, [&](std::int64_t t) { return t < 0 || t > duration_ms; });
  std::sort(moments.begin(), moments.end());
  moments.erase(std::unique(moments.begin(), moments.end()), moments.end());
  std::vector<IdleStretch> out;
  for (std::size_t i = 1; i < moments.size(); ++i) {
    if (moments[i] - moments[i - 1] >= threshold_ms) out.push_back({moments[i - 1], moments[i]});
  }
  return out;
}

}  // namespace rdpwarden::server::web
