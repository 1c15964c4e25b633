#include "server/web/live_latency.hpp"
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>

namespace rdpwarden::test {
namespace {

constexpr std::uint32_t kColours[] = {0xc03030, 0x30a040, 0x3050c0, 0xd0c030, 0xa040b0, 0x30b0b0};

std::int64_t wall_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

bool close_to(const nlohmann::json& rgb, std::uint32_t c) {
  int want[3] = {static_cast<int>((c >> 16) & 255), static_cast<int>((c >> 8) & 255),
                 static_cast<int>(c & 255)};
  for (std::size_t i = 0; i < 3; ++i)
    if (std::abs(rgb.at(i).get<int>() - want[i]) > 40) return false;
  return true;
}

}  // namespace

DesktopPainter::DesktopPainter(RecorderLiveSessions& live, std::chrono::milliseconds change_every,
                               std::chrono::milliseconds busy_for)
    : live_(live), change_every_(change_every), busy_for_(busy_for), thread_([this] { run(); }) {}

DesktopPainter::~DesktopPainter() {
  stop_ = true;
  thread_.join();
}

std::vector<ColourChange> DesktopPainter::changes() const {
  std::lock_guard lock(mutex_);
  return changes_;
}

void DesktopPainter::run() {
  using namespace std::chrono;
  auto start = steady_clock::now();
  std::size_t colour = 0;
  bool mark = false;
  auto next_change = start;
  while (!stop_ && !live_.ended()) {
    auto now = steady_clock::now();
    if (now >= next_change) {
      colour = (colour + 1) % std::size(kColours);
      auto t = live_.paint(kColours[colour], mark ? 0xffffff : 0x000000);
      std::lock_guard lock(mutex_);
      changes_.push_back({wall_ms(t), kColours[colour]});
      next_change += change_every_;
    } else if (now - start < busy_for_) {
      mark = !mark;
      live_.paint(kColours[colour], mark ? 0xffffff : 0x000000);
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
}

std::vector<std::int64_t> change_delays(const std::vector<ColourChange>& changes,
                                        const nlohmann::json& samples, std::int64_t from_ms,
                                        std::int64_t until_ms) {
  std::vector<std::int64_t> delays;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    auto next = i + 1 < changes.size() ? changes[i + 1].t_ms : INT64_MAX;
    if (c.t_ms < from_ms || c.t_ms >= until_ms || next > until_ms) continue;
    std::int64_t delay = -1;
    for (const auto& s : samples) {
      auto t = s.at("t").get<std::int64_t>();
      if (t < c.t_ms) continue;
      if (t >= next) break;
      if (close_to(s.at("rgb"), c.rgb)) {
        delay = t - c.t_ms;
        break;
      }
    }
    delays.push_back(delay);
  }
  return delays;
}

std::int64_t percentile(std::vector<std::int64_t> delays, double p) {
  std::erase_if(delays, [](std::int64_t d) { return d < 0; });
  if (delays.empty()) return -1;
  std::sort(delays.begin(), delays.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(delays.size())));
  return delays[std::clamp<std::size_t>(rank, 1, delays.size()) - 1];
}

}  // namespace rdpwarden::test
