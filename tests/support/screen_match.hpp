#pragma once
// Waiting for two live screens to show the same picture (an RDP session needs a moment to
// repaint after a change), and keeping the evidence when they never do.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "support/image.hpp"

namespace rdpwarden::test {

struct ScreenMatch {
  bool matched = false;
  double rmse = 1.0;  // of the last comparison
  Image first;        // the last screenshots compared
  Image second;
};

// Takes screenshots with `first` and `second` every ~100 ms until their RMSE (image_compare.hpp)
// is at most `max_rmse` or `timeout` passes. Sizes must match.
ScreenMatch wait_for_match(const std::function<Image()>& first,
                           const std::function<Image()>& second, double max_rmse,
                           std::chrono::milliseconds timeout,
                           std::optional<Rect> area = std::nullopt);

// Writes `image` as <dir>/<name>.png where dir is $RDPWARDEN_ARTIFACT_DIR or else
// ./test-artifacts (ctest runs tests in the build tree). Returns the path; never throws.
std::filesystem::path save_artifact(const Image& image, std::string_view name);

}  // namespace rdpwarden::test
