#pragma once
// How faithfully a recording shows the screen it recorded: the capture sampled once a second,
// each sample compared (SSIM, luma) with the recording frame on screen at that sample's own
// capture time. A second figure isolates encoding quality from timing: only samples after
// which the screen stayed unchanged for `settle`, compared with the recording at
// t + settle (by then the frame-rate cap has let the picture through).

#include <filesystem>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::bench {

struct Fidelity {
  double mean = 0;  // all samples, at their capture time
  double min = 1;
  int samples = 0;
  double settled_mean = 0;  // samples of a screen that then stayed still, at t + settle
  double settled_min = 1;
  int settled_samples = 0;
};

// `changed[i]`: capture frame i differed from frame i - 1. Decodes the capture and the
// recording side by side (two frames in memory at a time).
Fidelity measure_fidelity(const std::filesystem::path& capture,
                          const std::filesystem::path& session_dir,
                          const std::vector<bool>& changed, codec::SessionTime settle);

}  // namespace rdpwarden::bench
