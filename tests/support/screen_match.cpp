#include "support/screen_match.hpp"
#include <cstdlib>
#include <string>
#include <thread>

#include "support/image_compare.hpp"

namespace rdpwarden::test {

ScreenMatch wait_for_match(const std::function<Image()>& first,
                           const std::function<Image()>& second, double max_rmse,
                           std::chrono::milliseconds timeout, std::optional<Rect> area) {
  ScreenMatch m;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    m.first = first();
    m.second = second();
    m.rmse = rmse(m.first, m.second, area);
    m.matched = m.rmse <= max_rmse;
    if (m.matched || std::chrono::steady_clock::now() >= deadline) return m;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::filesystem::path save_artifact(const Image& image, std::string_view name) {
  const char* env = std::getenv("RDPWARDEN_ARTIFACT_DIR");
  std::filesystem::path dir = env && *env ? env : "test-artifacts";
  auto file = dir / (std::string(name) + ".png");
  try {
    std::filesystem::create_directories(dir);
    image.save_png(file);
  } catch (const std::exception&) {
    return {};
  }
  return std::filesystem::absolute(file);
}

}  // namespace rdpwarden::test
