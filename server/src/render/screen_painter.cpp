#include "render/screen_painter.hpp"
#include <algorithm>

namespace rdpwarden::server::render {
namespace {

constexpr Rgb kLobbyBackground = 0x1d2733;
constexpr Rgb kAccent = 0x3b82c4;
constexpr Rgb kTitle = 0xffffff;
constexpr Rgb kBody = 0xd6dde6;
constexpr Rgb kBannerText = 0xffffff;
constexpr int kPadding = 14;

}  // namespace

ScreenPainter::ScreenPainter(const std::filesystem::path& font)
    : title_(font, 30), body_(font, 18) {}

void ScreenPainter::paint_lobby(Canvas canvas, const LobbyText& text) const {
  fill(canvas, canvas.bounds(), kLobbyBackground);
  const int max_text = std::max(100, std::min(canvas.width - 80, 900));
  const int left = std::max(20, (canvas.width - max_text) / 2);
  int y = std::max(20, canvas.height / 3);
  fill(canvas, {left, y - 16, 64, 4}, kAccent);
  title_.draw(canvas, left, y, text.title, kTitle);
  y += title_.line_height() + 16;
  for (const auto& line : body_.wrap(text.status, max_text)) {
    body_.draw(canvas, left, y, line, kBody);
    y += body_.line_height();
  }
  y += body_.line_height();
  for (const auto& line : body_.wrap(text.notice, max_text)) {
    body_.draw(canvas, left, y, line, kTitle);
    y += body_.line_height();
  }
}

codec::Rect ScreenPainter::banner_rect(int width, int height, std::string_view text) const {
  const int max_text = std::max(100, std::min(width - 4 * kPadding, 900));
  const auto lines = body_.wrap(text, max_text);
  int text_width = 0;
  for (const auto& line : lines)
    text_width = std::max(text_width, body_.measure(line));
  const int w = std::min(width, text_width + 2 * kPadding);
  const int h =
      std::min(height, static_cast<int>(lines.size()) * body_.line_height() + 2 * kPadding);
  return {(width - w) / 2, std::min(24, std::max(0, height - h)), w, h};
}

void ScreenPainter::paint_banner(Canvas canvas, const codec::Rect& where, std::string_view text,
                                 Rgb background) const {
  // Opaque, so painting it again over itself (after the target redrew under it) looks the same.
  fill(canvas, where, background);
  const int max_text = std::max(100, where.width - 2 * kPadding);
  int y = where.y + kPadding;
  for (const auto& line : body_.wrap(text, max_text)) {
    const int x = where.x + (where.width - body_.measure(line)) / 2;
    body_.draw(canvas, x, y, line, kBannerText);
    y += body_.line_height();
  }
}

}  // namespace rdpwarden::server::render
