#pragma once
// How alike two pictures are, for "what the client shows matches what the target shows" and
// "the recording matches the screen" assertions. Both images must have the same size (else
// std::invalid_argument); `area`, when given, restricts the comparison to that rectangle (which
// must lie inside both). Pixel formats may differ: only the RGB values are compared.

#include <optional>

#include "support/image.hpp"

namespace rdpwarden::test {

// Root-mean-square error over the R, G and B samples, normalised to 0..1 (0 = identical, 1 =
// black vs white). The same figure as ImageMagick's `compare -metric RMSE` in parentheses.
// A lossless RDP session of a terminal is ~0.00; H.264 (GFX AVC420) typically stays below 0.03.
double rmse(const Image& a, const Image& b, std::optional<Rect> area = std::nullopt);

// Mean structural similarity (Wang et al. 2004) of the BT.601 luma planes, computed over every
// 8x8 window (stride 1) with K1 = 0.01, K2 = 0.03, L = 255. 1 = identical; unrelated screens
// score far below 0.5. Areas smaller than 8x8 throw std::invalid_argument.
double ssim(const Image& a, const Image& b, std::optional<Rect> area = std::nullopt);

// Share of pixels (0..1) where any channel differs by more than `tolerance`.
double differing_pixels(const Image& a, const Image& b, int tolerance = 0,
                        std::optional<Rect> area = std::nullopt);

}  // namespace rdpwarden::test
