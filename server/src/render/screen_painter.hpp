#pragma once
// The gateway's own pixels in a session: the lobby shown while the target connects and the
// "this session is recorded" banner shown over the target's picture at the start.

#include <string>
#include <string_view>

#include "render/canvas.hpp"
#include "render/text_renderer.hpp"

namespace rdpwarden::server::render {

struct LobbyText {
  std::string title;   // e.g. "rdpwarden"
  std::string status;  // e.g. "Connecting to srv01 as administrator..."
  std::string notice;  // the configured recording notice
};

class ScreenPainter {
 public:
  // Throws std::runtime_error when the font cannot be loaded.
  explicit ScreenPainter(const std::filesystem::path& font = TextRenderer::default_font());

  void paint_lobby(Canvas canvas, const LobbyText& text) const;
  // Where the banner for `text` goes on a width x height screen (top centre).
  codec::Rect banner_rect(int width, int height, std::string_view text) const;
  void paint_banner(Canvas canvas, const codec::Rect& where, std::string_view text,
                    Rgb background = 0x7a1f1f) const;

 private:
  TextRenderer title_;
  TextRenderer body_;
};

}  // namespace rdpwarden::server::render
