#include "support/image_compare.hpp"
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace rdpwarden::test {
namespace {

Rect checked_area(const Image& a, const Image& b, const std::optional<Rect>& area) {
  if (a.width() != b.width() || a.height() != b.height())
    throw std::invalid_argument("image sizes differ: " + std::to_string(a.width()) + "x" +
                                std::to_string(a.height()) + " vs " + std::to_string(b.width()) +
                                "x" + std::to_string(b.height()));
  Rect r = area.value_or(a.bounds());
  if (r.x < 0 || r.y < 0 || r.width <= 0 || r.height <= 0 || r.x + r.width > a.width() ||
      r.y + r.height > a.height())
    throw std::invalid_argument("comparison area outside the images or empty");
  return r;
}

// The area of an image as packed RGB rows, without copying when it already is RGB24.
class RgbView {
 public:
  explicit RgbView(const Image& image)
      : converted_(image.format() == PixelFormat::kRgb24 ? Image()
                                                         : image.converted(PixelFormat::kRgb24)),
        image_(image.format() == PixelFormat::kRgb24 ? image : converted_) {}
  RgbView(const RgbView&) = delete;
  RgbView& operator=(const RgbView&) = delete;
  const std::uint8_t* row(int y, int x0) const {
    return image_.bytes().data() + static_cast<std::size_t>(y) * image_.stride() +
           static_cast<std::size_t>(x0) * 3;
  }

 private:
  Image converted_;
  const Image& image_;
};

double luma(const std::uint8_t* p) {
  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

// Summed-area tables of x, y, x², y² and xy over the compared area, so that the statistics of
// every 8x8 window cost O(1): a 1280x800 comparison takes milliseconds, not seconds.
struct Integrals {
  int w, h;
  std::vector<double> sx, sy, sxx, syy, sxy;
  Integrals(int width, int height)
      : w(width + 1),
        h(height + 1),
        sx(std::size_t(w) * h),
        sy(sx.size()),
        sxx(sx.size()),
        syy(sx.size()),
        sxy(sx.size()) {}
  std::size_t at(int x, int y) const { return std::size_t(y) * std::size_t(w) + std::size_t(x); }
  static double box(const std::vector<double>& t, std::size_t a, std::size_t b, std::size_t c,
                    std::size_t d) {
    return t[d] - t[b] - t[c] + t[a];
  }
};

Integrals build_integrals(const Image& a, const Image& b, const Rect& r) {
  Integrals in(r.width, r.height);
  RgbView va(a), vb(b);
  for (int y = 1; y <= r.height; ++y) {
    double rx = 0, ry = 0, rxx = 0, ryy = 0, rxy = 0;
    const std::uint8_t* pa = va.row(r.y + y - 1, r.x);
    const std::uint8_t* pb = vb.row(r.y + y - 1, r.x);
    for (int x = 1; x <= r.width; ++x, pa += 3, pb += 3) {
      double la = luma(pa), lb = luma(pb);
      rx += la;
      ry += lb;
      rxx += la * la;
      ryy += lb * lb;
      rxy += la * lb;
      std::size_t i = in.at(x, y), up = in.at(x, y - 1);
      in.sx[i] = in.sx[up] + rx;
      in.sy[i] = in.sy[up] + ry;
      in.sxx[i] = in.sxx[up] + rxx;
      in.syy[i] = in.syy[up] + ryy;
      in.sxy[i] = in.sxy[up] + rxy;
    }
  }
  return in;
}

}  // namespace

double rmse(const Image& a, const Image& b, std::optional<Rect> area) {
  Rect r = checked_area(a, b, area);
  RgbView va(a), vb(b);
  std::uint64_t sum = 0;
  for (int y = r.y; y < r.y + r.height; ++y) {
    const std::uint8_t* pa = va.row(y, r.x);
    const std::uint8_t* pb = vb.row(y, r.x);
    for (int i = 0; i < r.width * 3; ++i) {
      int d = pa[i] - pb[i];
      sum += static_cast<std::uint64_t>(d * d);
    }
  }
  double n = 3.0 * r.width * r.height;
  return std::sqrt(static_cast<double>(sum) / n) / 255.0;
}

double ssim(const Image& a, const Image& b, std::optional<Rect> area) {
  constexpr int kWindow = 8;
  constexpr double kC1 = (0.01 * 255) * (0.01 * 255);
  constexpr double kC2 = (0.03 * 255) * (0.03 * 255);
  Rect r = checked_area(a, b, area);
  if (r.width < kWindow || r.height < kWindow)
    throw std::invalid_argument("SSIM needs an area of at least 8x8 pixels");
  Integrals in = build_integrals(a, b, r);
  const double n = kWindow * kWindow;
  double total = 0.0;
  long windows = 0;
  for (int y = 0; y + kWindow <= r.height; ++y)
    for (int x = 0; x + kWindow <= r.width; ++x) {
      std::size_t p00 = in.at(x, y), p10 = in.at(x + kWindow, y), p01 = in.at(x, y + kWindow),
                  p11 = in.at(x + kWindow, y + kWindow);
      double mx = Integrals::box(in.sx, p00, p10, p01, p11) / n;
      double my = Integrals::box(in.sy, p00, p10, p01, p11) / n;
      double vx = Integrals::box(in.sxx, p00, p10, p01, p11) / n - mx * mx;
      double vy = Integrals::box(in.syy, p00, p10, p01, p11) / n - my * my;
      double cxy = Integrals::box(in.sxy, p00, p10, p01, p11) / n - mx * my;
      total +=
          ((2 * mx * my + kC1) * (2 * cxy + kC2)) / ((mx * mx + my * my + kC1) * (vx + vy + kC2));
      ++windows;
    }
  return total / static_cast<double>(windows);
}

double differing_pixels(const Image& a, const Image& b, int tolerance, std::optional<Rect> area) {
  Rect r = checked_area(a, b, area);
  RgbView va(a), vb(b);
  long differing = 0;
  for (int y = r.y; y < r.y + r.height; ++y) {
    const std::uint8_t* pa = va.row(y, r.x);
    const std::uint8_t* pb = vb.row(y, r.x);
    for (int x = 0; x < r.width; ++x, pa += 3, pb += 3)
      if (std::abs(pa[0] - pb[0]) > tolerance || std::abs(pa[1] - pb[1]) > tolerance ||
          std::abs(pa[2] - pb[2]) > tolerance)
        ++differing;
  }
  return static_cast<double>(differing) / (static_cast<double>(r.width) * r.height);
}

}  // namespace rdpwarden::test
