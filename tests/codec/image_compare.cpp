#include "image_compare.hpp"
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace rdpwarden::test {

std::vector<std::uint8_t> luma_of(const codec::FrameView& p) {
  std::vector<std::uint8_t> y(static_cast<std::size_t>(p.width) * p.height);
  for (int r = 0; r < p.height; ++r) {
    const std::uint8_t* row = p.row(r);
    for (int c = 0; c < p.width; ++c) {
      const std::uint8_t* px = row + c * 4;
      y[static_cast<std::size_t>(r) * p.width + c] =
          static_cast<std::uint8_t>((px[2] * 2126 + px[1] * 7152 + px[0] * 722 + 5000) / 10000);
    }
  }
  return y;
}

namespace {

void check_sizes(const codec::FrameView& a, const codec::FrameView& b) {
  if (a.width != b.width || a.height != b.height)
    throw std::invalid_argument("image_compare: pictures differ in size");
}

}  // namespace

double psnr(const codec::FrameView& a, const codec::FrameView& b) {
  check_sizes(a, b);
  auto ya = luma_of(a);
  auto yb = luma_of(b);
  double sum = 0;
  for (std::size_t i = 0; i < ya.size(); ++i) {
    double d = double(ya[i]) - double(yb[i]);
    sum += d * d;
  }
  double mse = sum / double(ya.size());
  if (mse <= 1e-10) return 99.0;
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

double ssim(const codec::FrameView& a, const codec::FrameView& b) {
  check_sizes(a, b);
  auto ya = luma_of(a);
  auto yb = luma_of(b);
  const double c1 = (0.01 * 255) * (0.01 * 255);
  const double c2 = (0.03 * 255) * (0.03 * 255);
  const int w = a.width;
  constexpr int kWin = 8;
  constexpr int kStep = 4;
  double total = 0;
  int windows = 0;
  for (int y = 0; y + kWin <= a.height; y += kStep) {
    for (int x = 0; x + kWin <= w; x += kStep) {
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (int j = 0; j < kWin; ++j) {
        for (int i = 0; i < kWin; ++i) {
          double va = ya[static_cast<std::size_t>(y + j) * w + x + i];
          double vb = yb[static_cast<std::size_t>(y + j) * w + x + i];
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      const double n = kWin * kWin;
      double ma = sa / n, mb = sb / n;
      double va = saa / n - ma * ma, vb = sbb / n - mb * mb, cov = sab / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      ++windows;
    }
  }
  return windows ? total / windows : 1.0;
}

double worst_block_difference(const codec::FrameView& a, const codec::FrameView& b) {
  check_sizes(a, b);
  auto ya = luma_of(a);
  auto yb = luma_of(b);
  double worst = 0;
  for (int by = 0; by + 16 <= a.height; by += 16) {
    for (int bx = 0; bx + 16 <= a.width; bx += 16) {
      int sum = 0;
      for (int y = by; y < by + 16; ++y)
        for (int x = bx; x < bx + 16; ++x) {
          auto i = static_cast<std::size_t>(y) * a.width + x;
          sum += std::abs(int{ya[i]} - int{yb[i]});
        }
      worst = std::max(worst, sum / 256.0);
    }
  }
  return worst;
}

}  // namespace rdpwarden::test
