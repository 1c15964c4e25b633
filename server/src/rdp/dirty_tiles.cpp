#include "rdp/dirty_tiles.hpp"
#include <algorithm>

namespace rdpwarden::server::rdp {

void DirtyTiles::reset(int width, int height) {
  width_ = std::max(0, width);
  height_ = std::max(0, height);
  cols_ = (width_ + kTile - 1) / kTile;
  rows_ = (height_ + kTile - 1) / kTile;
  tiles_.assign(static_cast<std::size_t>(cols_) * static_cast<std::size_t>(rows_), 0);
  count_ = 0;
}

void DirtyTiles::mark(const codec::Rect& rect) {
  const codec::Rect r = codec::intersect(rect, {0, 0, width_, height_});
  if (r.empty()) return;
  const int c0 = r.x / kTile;
  const int c1 = (r.right() - 1) / kTile;
  const int r0 = r.y / kTile;
  const int r1 = (r.bottom() - 1) / kTile;
  for (int row = r0; row <= r1; ++row) {
    for (int col = c0; col <= c1; ++col) {
      auto& tile = tiles_[static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_) +
                          static_cast<std::size_t>(col)];
      if (!tile) {
        tile = 1;
        ++count_;
      }
    }
  }
}

void DirtyTiles::mark_all() {
  std::fill(tiles_.begin(), tiles_.end(), std::uint8_t{1});
  count_ = static_cast<int>(tiles_.size());
}

double DirtyTiles::coverage() const {
  if (tiles_.empty()) return 0.0;
  return static_cast<double>(count_) / static_cast<double>(tiles_.size());
}

std::vector<codec::Rect> DirtyTiles::take() {
  struct Run {
    int col0, col1, row0, row1;  // inclusive tile coordinates
  };
  std::vector<Run> done;
  std::vector<Run> open;  // runs that reached the previous row
  for (int row = 0; row < rows_; ++row) {
    std::vector<Run> current;
    const auto* line = &tiles_[static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_)];
    for (int col = 0; col < cols_;) {
      if (!line[col]) {
        ++col;
        continue;
      }
      int end = col;
      while (end + 1 < cols_ && line[end + 1])
        ++end;
      current.push_back({col, end, row, row});
      col = end + 1;
    }
    // A run continues an open run from the row above when it spans exactly the same columns.
    std::vector<Run> next;
    for (auto& run : current) {
      auto it = std::find_if(open.begin(), open.end(), [&](const Run& o) {
        return o.col0 == run.col0 && o.col1 == run.col1;
      });
      if (it != open.end()) {
        run.row0 = it->row0;
        open.erase(it);
      }
      next.push_back(run);
    }
    done.insert(done.end(), open.begin(), open.end());
    open = std::move(next);
  }
  done.insert(done.end(), open.begin(), open.end());

  std::vector<codec::Rect> rects;
  rects.reserve(done.size());
  for (const auto& run : done) {
    codec::Rect r{run.col0 * kTile, run.row0 * kTile, (run.col1 - run.col0 + 1) * kTile,
                  (run.row1 - run.row0 + 1) * kTile};
    rects.push_back(codec::intersect(r, {0, 0, width_, height_}));
  }
  std::fill(tiles_.begin(), tiles_.end(), std::uint8_t{0});
  count_ = 0;
  return rects;
}

}  // namespace rdpwarden::server::rdp
