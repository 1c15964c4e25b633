#pragma once
// Live-view delay, measured as an auditor sees it: a painter changes the synthetic desktop's
// colour on a schedule (noting the wall time of each change), the browser samples the colour
// of every frame it presents (with its wall time, same machine), and each change's delay is
// the time until the first presented frame in the new colour.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/web/recorder_live_sessions.hpp"

namespace rdpwarden::test {

struct ColourChange {
  std::int64_t t_ms = 0;  // system_clock, ms since the epoch
  std::uint32_t rgb = 0;
};

// Paints from a background thread until destroyed or the session ends: a new background colour
// every `change_every`; while `busy_for` lasts, also a corner mark toggling every 100 ms (a
// steady stream of frames, like typing), after that nothing between changes (an idle screen).
class DesktopPainter {
 public:
  DesktopPainter(RecorderLiveSessions& live, std::chrono::milliseconds change_every,
                 std::chrono::milliseconds busy_for);
  ~DesktopPainter();
  std::vector<ColourChange> changes() const;

 private:
  void run();
  RecorderLiveSessions& live_;
  std::chrono::milliseconds change_every_;
  std::chrono::milliseconds busy_for_;
  mutable std::mutex mutex_;
  std::vector<ColourChange> changes_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The delay of each change (ms) that happened in [from_ms, until_ms) and is followed by at least
// `settle_ms` before the next one; -1 when the browser never showed it before the next change.
// `samples`: [{"t": ms, "rgb": [r, g, b]}, ...].
std::vector<std::int64_t> change_delays(const std::vector<ColourChange>& changes,
                                        const nlohmann::json& samples, std::int64_t from_ms,
                                        std::int64_t until_ms);

// The p-th percentile (0..100) of the delays that were seen; -1 when none was.
std::int64_t percentile(std::vector<std::int64_t> delays, double p);

}  // namespace rdpwarden::test
