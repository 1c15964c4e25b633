#include "support/image.hpp"
#include <png.h>
#include <stdexcept>
#include <string>

namespace rdpwarden::test {

Image::Image(int width, int height, PixelFormat format)
    : width_(width), height_(height), format_(format) {
  if (width < 0 || height < 0) throw std::invalid_argument("negative image size");
  bytes_.assign(static_cast<std::size_t>(height) * stride(), 0);
}

Image::Image(int width, int height, PixelFormat format, std::vector<std::uint8_t> bytes)
    : width_(width), height_(height), format_(format), bytes_(std::move(bytes)) {
  if (width < 0 || height < 0) throw std::invalid_argument("negative image size");
  if (bytes_.size() != static_cast<std::size_t>(height) * stride())
    throw std::invalid_argument("image bytes do not match " + std::to_string(width) + "x" +
                                std::to_string(height));
}

std::size_t Image::offset(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_)
    throw std::out_of_range("pixel " + std::to_string(x) + "," + std::to_string(y) +
                            " outside the image");
  return static_cast<std::size_t>(y) * stride() + static_cast<std::size_t>(x) * bytes_per_pixel();
}

Rgb Image::pixel(int x, int y) const {
  const std::uint8_t* p = bytes_.data() + offset(x, y);
  if (format_ == PixelFormat::kRgb24) return {p[0], p[1], p[2]};
  return {p[2], p[1], p[0]};
}

void Image::set_pixel(int x, int y, Rgb color) {
  std::uint8_t* p = bytes_.data() + offset(x, y);
  if (format_ == PixelFormat::kRgb24) {
    p[0] = color.r;
    p[1] = color.g;
    p[2] = color.b;
  } else {
    p[0] = color.b;
    p[1] = color.g;
    p[2] = color.r;
    p[3] = 0xff;
  }
}

void Image::fill(const Rect& area, Rgb color) {
  for (int y = area.y; y < area.y + area.height; ++y)
    for (int x = area.x; x < area.x + area.width; ++x)
      set_pixel(x, y, color);
}

Image Image::crop(const Rect& area) const {
  if (area.x < 0 || area.y < 0 || area.width < 0 || area.height < 0 ||
      area.x + area.width > width_ || area.y + area.height > height_)
    throw std::out_of_range("crop rectangle outside the image");
  Image out(area.width, area.height, format_);
  std::size_t row = out.stride();
  for (int y = 0; y < area.height; ++y) {
    const std::uint8_t* src = bytes_.data() + static_cast<std::size_t>(area.y + y) * stride() +
                              static_cast<std::size_t>(area.x) * bytes_per_pixel();
    std::copy(src, src + row, out.bytes_.data() + static_cast<std::size_t>(y) * row);
  }
  return out;
}

Image Image::converted(PixelFormat format) const {
  if (format == format_) return *this;
  Image out(width_, height_, format);
  const std::size_t pixels = static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_);
  const std::uint8_t* src = bytes_.data();
  std::uint8_t* dst = out.bytes_.data();
  // Raw loops: screenshots are ~1M pixels and tests run unoptimised under sanitizers.
  if (format == PixelFormat::kBgrx32) {
    for (std::size_t i = 0; i < pixels; ++i, src += 3, dst += 4) {
      dst[0] = src[2];
      dst[1] = src[1];
      dst[2] = src[0];
      dst[3] = 0xff;
    }
  } else {
    for (std::size_t i = 0; i < pixels; ++i, src += 4, dst += 3) {
      dst[0] = src[2];
      dst[1] = src[1];
      dst[2] = src[0];
    }
  }
  return out;
}

double Image::mean_luma() const {
  if (empty()) return 0.0;
  double sum = 0.0;
  for (int y = 0; y < height_; ++y)
    for (int x = 0; x < width_; ++x) {
      Rgb p = pixel(x, y);
      sum += 0.299 * p.r + 0.587 * p.g + 0.114 * p.b;
    }
  return sum / (static_cast<double>(width_) * height_);
}

void Image::save_png(const std::filesystem::path& file) const {
  Image rgb = converted(PixelFormat::kRgb24);
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width_);
  image.height = static_cast<png_uint_32>(height_);
  image.format = PNG_FORMAT_RGB;
  if (!png_image_write_to_file(&image, file.c_str(), 0, rgb.bytes_.data(),
                               static_cast<png_int_32>(rgb.stride()), nullptr))
    throw std::runtime_error("cannot write PNG " + file.string() + ": " + image.message);
}

Image Image::load_png(const std::filesystem::path& file) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, file.c_str()))
    throw std::runtime_error("cannot read PNG " + file.string() + ": " + image.message);
  image.format = PNG_FORMAT_RGB;
  Image out(static_cast<int>(image.width), static_cast<int>(image.height), PixelFormat::kRgb24);
  if (!png_image_finish_read(&image, nullptr, out.bytes_.data(), 0, nullptr)) {
    std::string msg = image.message;
    png_image_free(&image);
    throw std::runtime_error("cannot decode PNG " + file.string() + ": " + msg);
  }
  return out;
}

}  // namespace rdpwarden::test
