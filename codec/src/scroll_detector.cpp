#include "scroll_detector.hpp"
#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "yuv_canvas.hpp"

namespace rdpwarden::codec {
namespace {

// A scroll must explain at least this many changed rows and this share of them.
constexpr int kMinRows = 16;
constexpr int kMinSharePercent = 30;
// Old rows remembered per hash value (repeated lines of text produce equal rows).
constexpr std::size_t kMaxCandidates = 8;

std::uint64_t hash_row(const std::uint8_t* p, int n) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(n);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, p + i, 8);
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  for (; i < n; ++i)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

bool flat(const std::uint8_t* p, int n) {
  return std::all_of(p, p + n, [&](std::uint8_t v) { return v == p[0]; });
}

}  // namespace

std::optional<int> detect_vertical_scroll(const AVFrame& previous,
                                          const std::vector<std::uint8_t>& bgrx, int width,
                                          const Rect& area) {
  if (area.height < 2 * kMinRows || area.width < 16) return std::nullopt;
  const int rows = area.height;
  std::vector<std::uint64_t> old_hash(static_cast<std::size_t>(rows));
  std::vector<std::uint64_t> new_hash(static_cast<std::size_t>(rows));
  std::vector<bool> informative(static_cast<std::size_t>(rows));
  std::vector<std::uint8_t> luma(static_cast<std::size_t>(area.width));
  std::unordered_map<std::uint64_t, std::vector<int>> old_rows;
  for (int r = 0; r < rows; ++r) {
    const std::uint8_t* y =
        previous.data[0] + static_cast<std::ptrdiff_t>(area.y + r) * previous.linesize[0] + area.x;
    old_hash[r] = hash_row(y, area.width);
    // A flat row (background) matches every other flat row: it says nothing about a shift.
    if (!flat(y, area.width)) {
      auto& list = old_rows[old_hash[r]];
      if (list.size() < kMaxCandidates) list.push_back(r);
    }
    bgrx_to_luma_row(bgrx.data() + (static_cast<std::size_t>(area.y + r) * width + area.x) * 4,
                     area.width, luma.data());
    new_hash[r] = hash_row(luma.data(), area.width);
    informative[r] = !flat(luma.data(), area.width);
  }
  std::unordered_map<int, int> votes;
  int changed = 0;
  for (int r = 0; r < rows; ++r) {
    if (!informative[r] || new_hash[r] == old_hash[r]) continue;
    ++changed;
    auto it = old_rows.find(new_hash[r]);
    if (it == old_rows.end()) continue;
    for (int from : it->second)
      if (from != r) ++votes[from - r];
  }
  int best = 0;
  int best_votes = 0;
  for (auto [dy, n] : votes)
    if (n > best_votes || (n == best_votes && std::abs(dy) < std::abs(best))) {
      best = dy;
      best_votes = n;
    }
  if (best_votes < kMinRows || best_votes * 100 < changed * kMinSharePercent) return std::nullopt;
  return best;
}

}  // namespace rdpwarden::codec
