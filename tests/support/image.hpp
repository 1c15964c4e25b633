#pragma once
// An in-memory picture for screen comparisons: what a display, an RDP client or a decoded
// recording showed. Pixels are 8-bit RGB, stored either as packed RGB (3 bytes) or as BGRX
// (4 bytes, the layout of X11 ZPixmaps, FreeRDP's PIXEL_FORMAT_BGRX32 and libav's AV_PIX_FMT_BGR0),
// rows tightly packed (stride = width * bytes per pixel).

#include <cstdint>
#include <filesystem>
#include <vector>

namespace rdpwarden::test {

enum class PixelFormat { kRgb24, kBgrx32 };

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

// A rectangle in pixels; x/y are the top-left corner.
struct Rect {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Rect&) const = default;
};

class Image {
 public:
  Image() = default;
  // A black image.
  Image(int width, int height, PixelFormat format = PixelFormat::kRgb24);
  // Takes `bytes` as they are; throws std::invalid_argument when the size does not match.
  Image(int width, int height, PixelFormat format, std::vector<std::uint8_t> bytes);

  int width() const { return width_; }
  int height() const { return height_; }
  PixelFormat format() const { return format_; }
  bool empty() const { return width_ == 0 || height_ == 0; }
  std::size_t bytes_per_pixel() const { return format_ == PixelFormat::kRgb24 ? 3 : 4; }
  std::size_t stride() const { return static_cast<std::size_t>(width_) * bytes_per_pixel(); }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  std::vector<std::uint8_t>& bytes() { return bytes_; }
  Rect bounds() const { return {0, 0, width_, height_}; }

  // Bounds-checked (std::out_of_range) pixel access.
  Rgb pixel(int x, int y) const;
  void set_pixel(int x, int y, Rgb color);
  void fill(const Rect& area, Rgb color);

  // The part of the image inside `area`; throws std::out_of_range when `area` is not inside.
  Image crop(const Rect& area) const;
  Image converted(PixelFormat format) const;
  // Mean of the BT.601 luma over all pixels, 0..255 (a black screen is ~0).
  double mean_luma() const;

  // PNG via libpng, for post-mortems and for looking at what a test saw. Throw on I/O errors.
  void save_png(const std::filesystem::path& file) const;
  static Image load_png(const std::filesystem::path& file);

 private:
  std::size_t offset(int x, int y) const;

  int width_ = 0;
  int height_ = 0;
  PixelFormat format_ = PixelFormat::kRgb24;
  std::vector<std::uint8_t> bytes_;
};

}  // namespace rdpwarden::test
