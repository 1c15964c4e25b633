#pragma once
// Idle stretches of a session for the player's "skip idle": spans with no new frame and no
// event for at least `threshold_ms`. Frames come from the segments' fragment headers
// (fragment_reader.hpp), events from events.jsonl; both on the session clock.

#include <cstdint>
#include <vector>

namespace rdpwarden::server::web {

struct IdleStretch {
  std::int64_t start_ms = 0;  // the last activity before the stretch
  std::int64_t end_ms = 0;    // the next activity (or the end of the session)
};

// `frame_ms` and `event_ms` need not be sorted. Activity at the very end of the session counts
// as `duration_ms`.
std::vector<IdleStretch> idle_stretches(std::vector<std::int64_t> frame_ms,
                                        const std::vector<std::int64_t>& event_ms,
                                        std::int64_t duration_ms, std::int64_t threshold_ms);

}  // namespace rdpwarden::server::web
