#pragma once
// Anti-aliased text for the gateway's own screens (the lobby, the recording notice), rendered
// with FreeType from a TrueType font (DejaVu Sans by default).
//
// Not thread-safe: each session worker owns one, used from its front's peer thread.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "render/canvas.hpp"

namespace rdpwarden::server::render {

class TextRenderer {
 public:
  // Throws std::runtime_error when FreeType or the font cannot be loaded.
  TextRenderer(const std::filesystem::path& font_file, int pixel_size);
  ~TextRenderer();
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  // The default font: DejaVu Sans as installed by fonts-dejavu-core.
  static std::filesystem::path default_font();

  int line_height() const;
  int measure(std::string_view utf8) const;
  // Splits text into lines no wider than max_width, breaking at spaces (and anywhere in a word
  // that alone is too wide). Explicit newlines are kept.
  std::vector<std::string> wrap(std::string_view utf8, int max_width) const;
  // Draws one line with its top-left corner at (x, y).
  void draw(Canvas canvas, int x, int y, std::string_view utf8, Rgb color) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decodes UTF-8 into code points; malformed bytes become U+FFFD.
std::u32string decode_utf8(std::string_view utf8);

}  // namespace rdpwarden::server::render
