#pragma once
// Picture comparison for recording tests and the benchmark: PSNR and SSIM on luma (BT.709)
// of two BGRX pictures of the same size.

#include <cstdint>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::test {

// Luma plane (0..255 doubles are overkill; bytes suffice) of a BGRX picture.
std::vector<std::uint8_t> luma_of(const codec::FrameView& picture);

// Peak signal-to-noise ratio in dB over the luma planes (99 for identical pictures).
double psnr(const codec::FrameView& a, const codec::FrameView& b);

// Mean SSIM over 8x8 windows with stride 4 on luma (Wang et al. 2004, C1=(0.01*255)^2,
// C2=(0.03*255)^2). 1.0 for identical pictures.
double ssim(const codec::FrameView& a, const codec::FrameView& b);

// The largest mean absolute luma difference over the 16x16 blocks of two pictures: a block
// left stale (a glyph missing, an old one still there) shows as a large value (tens), coding
// noise as a small one, whatever the picture's size.
double worst_block_difference(const codec::FrameView& a, const codec::FrameView& b);

}  // namespace rdpwarden::test
