#pragma once
// session.max_duration_minutes: when to warn the admin (session.warn_before_minutes before the
// end) and when to end the session. Pure: the caller passes the session time.

#include <chrono>
#include <optional>
#include <vector>

namespace rdpwarden::server::rdp {

class DurationLimit {
 public:
  struct Step {
    enum class Kind { warn, end };
    Kind kind = Kind::warn;
    int minutes_left = 0;  // warn: as announced
  };

  // `limit` zero or negative: unlimited. Warnings at or beyond the limit collapse to one at the
  // start.
  DurationLimit(std::chrono::minutes limit, std::vector<int> warn_before_minutes);
  bool unlimited() const { return limit_.count() <= 0; }
  // What is due at `elapsed` that has not been done yet; each warning and the end come once.
  std::optional<Step> due(std::chrono::milliseconds elapsed);

 private:
  std::chrono::minutes limit_;
  std::vector<int> warnings_;  // minutes before the end, largest first, not yet given
  bool ended_ = false;
};

}  // namespace rdpwarden::server::rdp
