#include "render/text_renderer.hpp"
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <ft2build.h>
#include FT_FREETYPE_H

namespace rdpwarden::server::render {
namespace {

struct LibraryDeleter {
  void operator()(FT_Library lib) const noexcept { FT_Done_FreeType(lib); }
};
struct FaceDeleter {
  void operator()(FT_Face face) const noexcept { FT_Done_Face(face); }
};
using LibraryPtr = std::unique_ptr<FT_LibraryRec_, LibraryDeleter>;
using FacePtr = std::unique_ptr<FT_FaceRec_, FaceDeleter>;

LibraryPtr make_library() {
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0 || !lib) throw std::runtime_error("FreeType failed to start");
  return LibraryPtr{lib};
}

FacePtr make_face(FT_Library lib, const std::filesystem::path& file, int pixel_size) {
  FT_Face face = nullptr;
  if (FT_New_Face(lib, file.c_str(), 0, &face) != 0 || !face)
    throw std::runtime_error(fmt::format("cannot load the font {}", file.string()));
  FacePtr owned{face};
  if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(pixel_size)) != 0)
    throw std::runtime_error(fmt::format("cannot size the font {}", file.string()));
  return owned;
}

void blend_glyph(Canvas canvas, const FT_Bitmap& bitmap, int left, int top, Rgb color) {
  const int cb = static_cast<int>(color & 0xff);
  const int cg = static_cast<int>((color >> 8) & 0xff);
  const int cr = static_cast<int>((color >> 16) & 0xff);
  for (unsigned row = 0; row < bitmap.rows; ++row) {
    const int y = top + static_cast<int>(row);
    if (y < 0 || y >= canvas.height) continue;
    for (unsigned col = 0; col < bitmap.width; ++col) {
      const int x = left + static_cast<int>(col);
      if (x < 0 || x >= canvas.width) continue;
      const int a = bitmap.buffer[static_cast<std::ptrdiff_t>(row) * bitmap.pitch + col];
      if (a == 0) continue;
      auto* px = canvas.pixels + static_cast<std::ptrdiff_t>(y) * canvas.stride + x * 4;
      px[0] = static_cast<std::uint8_t>((cb * a + px[0] * (255 - a)) / 255);
      px[1] = static_cast<std::uint8_t>((cg * a + px[1] * (255 - a)) / 255);
      px[2] = static_cast<std::uint8_t>((cr * a + px[2] * (255 - a)) / 255);
    }
  }
}

}  // namespace

struct TextRenderer::Impl {
  LibraryPtr library;
  FacePtr face;
};

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(ok && cp <= 0x10FFFF ? cp : 0xFFFD);
    i += ok ? static_cast<std::size_t>(extra) + 1 : 1;
  }
  return out;
}

TextRenderer::TextRenderer(const std::filesystem::path& font_file, int pixel_size)
    : impl_(std::make_unique<Impl>()) {
  impl_->library = make_library();
  impl_->face = make_face(impl_->library.get(), font_file, pixel_size);
}

TextRenderer::~TextRenderer() {
  impl_->face.reset();  // faces go before their library
}

std::filesystem::path TextRenderer::default_font() {
  return "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
}

int TextRenderer::line_height() const {
  return static_cast<int>(impl_->face->size->metrics.height >> 6);
}

int TextRenderer::measure(std::string_view utf8) const {
  int width = 0;
  for (char32_t cp : decode_utf8(utf8)) {
    if (FT_Load_Char(impl_->face.get(), cp, FT_LOAD_DEFAULT) == 0)
      width += static_cast<int>(impl_->face->glyph->advance.x >> 6);
  }
  return width;
}

std::vector<std::string> TextRenderer::wrap(std::string_view utf8, int max_width) const {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= utf8.size()) {
    auto nl = utf8.find('\n', start);
    std::string_view paragraph =
        utf8.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    std::string line;
    std::size_t pos = 0;
    while (pos < paragraph.size()) {
      auto space = paragraph.find(' ', pos);
      std::string_view word = paragraph.substr(
          pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
      std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
      if (measure(candidate) <= max_width || line.empty()) {
        line = std::move(candidate);
      } else {
        lines.push_back(line);
        line = std::string(word);
      }
      pos = space == std::string_view::npos ? paragraph.size() : space + 1;
    }
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

void TextRenderer::draw(Canvas canvas, int x, int y, std::string_view utf8, Rgb color) const {
  FT_Face face = impl_->face.get();
  const int baseline = y + static_cast<int>(face->size->metrics.ascender >> 6);
  int pen = x;
  for (char32_t cp : decode_utf8(utf8)) {
    if (FT_Load_Char(face, cp, FT_LOAD_RENDER) != 0) continue;
    const FT_GlyphSlot g = face->glyph;
    blend_glyph(canvas, g->bitmap, pen + g->bitmap_left, baseline - g->bitmap_top, color);
    pen += static_cast<int>(g->advance.x >> 6);
  }
}

}  // namespace rdpwarden::server::render
