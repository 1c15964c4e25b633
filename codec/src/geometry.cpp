#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

Rect intersect(const Rect& a, const Rect& b) {
  int x0 = std::max(a.x, b.x);
  int y0 = std::max(a.y, b.y);
  int x1 = std::min(a.right(), b.right());
  int y1 = std::min(a.bottom(), b.bottom());
  if (x1 <= x0 || y1 <= y0) return {};
  return {x0, y0, x1 - x0, y1 - y0};
}

Rect bounding_union(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  int x0 = std::min(a.x, b.x);
  int y0 = std::min(a.y, b.y);
  int x1 = std::max(a.right(), b.right());
  int y1 = std::max(a.bottom(), b.bottom());
  return {x0, y0, x1 - x0, y1 - y0};
}

Rect align_even(const Rect& r, int width, int height) {
  Rect c = intersect(r, {0, 0, width, height});
  if (c.empty()) return {};
  int x0 = c.x & ~1;
  int y0 = c.y & ~1;
  int x1 = std::min((c.right() + 1) & ~1, width);
  int y1 = std::min((c.bottom() + 1) & ~1, height);
  return {x0, y0, x1 - x0, y1 - y0};
}

}  // namespace rdpwarden::codec
