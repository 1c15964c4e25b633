#include <vector>

#include <catch2/catch.hpp>

#include "render/screen_painter.hpp"
#include "render/text_renderer.hpp"

using namespace rdpwarden::server::render;

TEST_CASE("text is rendered into the canvas and wrapped to a width") {
  TextRenderer text(TextRenderer::default_font(), 18);
  CHECK(text.line_height() > 10);
  CHECK(text.measure("This session is recorded") > text.measure("This"));
  auto lines =
      text.wrap("This session is recorded and may be monitored.", text.measure("This session is"));
  CHECK(lines.size() >= 2);
  for (const auto& line : lines)
    CHECK(text.measure(line) <= text.measure("This session is"));

  std::vector<std::uint8_t> pixels(200 * 40 * 4, 0);
  Canvas canvas{pixels.data(), 200, 40, 200 * 4};
  text.draw(canvas, 2, 2, "Recorded", 0xffffff);
  CHECK(std::count_if(pixels.begin(), pixels.end(), [](auto b) { return b > 128; }) > 100);
}

TEST_CASE("the lobby and the banner paint inside the screen") {
  ScreenPainter painter;
  std::vector<std::uint8_t> pixels(640 * 480 * 4, 0);
  Canvas canvas{pixels.data(), 640, 480, 640 * 4};
  painter.paint_lobby(canvas,
                      {"rdpwarden", "Connecting to srv01 as administrator...", "Recorded."});
  CHECK(pixels[0] != 0);  // the lobby background
  auto where = painter.banner_rect(640, 480, "This session is recorded.");
  CHECK(where.x >= 0);
  CHECK(where.right() <= 640);
  CHECK(where.height > 0);
  CHECK(decode_utf8("a\xFF"
                    "b") == std::u32string{U'a', 0xFFFD, U'b'});
}
