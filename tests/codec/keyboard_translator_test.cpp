#include "keyboard_translator.hpp"

#include <catch2/catch.hpp>

#include <rdpwarden/codec/session_sink.hpp>

#include "line_reconstructor.hpp"

using namespace rdpwarden::codec;

namespace {

constexpr std::uint16_t kShift = 0x2a;
constexpr std::uint16_t kAltGr = 0x38;  // with the extended flag

// Presses and releases scancode `sc`, returns the text of the press.
std::string tap(KeyboardTranslator& k, std::uint16_t sc, std::uint16_t ext = 0) {
  auto r = k.key(ext, sc);
  k.key(ext | kKeyRelease, sc);
  return r.text;
}

std::string shifted(KeyboardTranslator& k, std::uint16_t sc) {
  k.key(0, kShift);
  auto t = tap(k, sc);
  k.key(kKeyRelease, kShift);
  return t;
}

}  // namespace

TEST_CASE("en-US keystrokes produce their text", "[keyboard]") {
  KeyboardTranslator k;
  CHECK(k.set_layout(0x409) == "us");
  CHECK(shifted(k, 0x23) == "H");  // h
  CHECK(tap(k, 0x12) == "e");
  CHECK(tap(k, 0x26) == "l");
  CHECK(tap(k, 0x02) == "1");
  CHECK(shifted(k, 0x02) == "!");
  CHECK(tap(k, 0x39) == " ");
  auto enter = k.key(0, 0x1c);
  CHECK(enter.name == "Return");
  CHECK(enter.text.empty());
  auto left = k.key(kKeyExtended, 0x4b);
  CHECK(left.name == "Left");
  auto kp_enter = k.key(kKeyExtended, 0x1c);
  CHECK(kp_enter.name == "KP_Enter");
}

TEST_CASE("de-DE: QWERTZ, AltGr and dead keys", "[keyboard]") {
  KeyboardTranslator k;
  CHECK(k.set_layout(0x407) == "de");
  CHECK(tap(k, 0x15) == "z");  // the key labelled Y on en-US
  CHECK(tap(k, 0x2c) == "y");
  CHECK(tap(k, 0x27) == "ö");
  CHECK(shifted(k, 0x03) == "\"");
  k.key(kKeyExtended, kAltGr);
  CHECK(tap(k, 0x10) == "@");  // AltGr+Q
  k.key(kKeyExtended | kKeyRelease, kAltGr);
  // Dead circumflex then e.
  auto dead = k.key(0, 0x29);
  CHECK(dead.text.empty());
  CHECK(dead.name == "dead_circumflex");
  k.key(kKeyRelease, 0x29);
  CHECK(tap(k, 0x12) == "ê");
}

TEST_CASE("fr-FR: AZERTY digits row and dead circumflex", "[keyboard]") {
  KeyboardTranslator k;
  CHECK(k.set_layout(0x40c) == "fr");
  CHECK(tap(k, 0x10) == "a");
  CHECK(tap(k, 0x02) == "&");
  CHECK(shifted(k, 0x02) == "1");
  CHECK(tap(k, 0x03) == "é");
  k.key(0, 0x1a);  // dead circumflex
  k.key(kKeyRelease, 0x1a);
  CHECK(tap(k, 0x16) == "û");
}

TEST_CASE("caps lock from a sync event and shortcuts give no text", "[keyboard]") {
  KeyboardTranslator k;
  k.sync(0x4);  // caps lock on
  CHECK(tap(k, 0x1e) == "A");
  k.sync(0);
  CHECK(tap(k, 0x1e) == "a");
  k.key(0, 0x1d);  // left ctrl
  auto r = k.key(0, 0x2e);
  CHECK(r.text.empty());
  CHECK(r.ctrl_or_alt);
  CHECK(r.name == "c");
}

TEST_CASE("unknown KLIDs fall back to us and unknown scancodes are harmless", "[keyboard]") {
  KeyboardTranslator k;
  CHECK(k.set_layout(0xdeadbeef) == "us");
  auto r = k.key(0, 0xff);
  CHECK(r.text.empty());
  CHECK(KeyboardTranslator::layout_for_klid(0x10407).first == "de");
}

TEST_CASE("typed lines are reconstructed with editing keys", "[keyboard]") {
  LineReconstructor lines;
  KeyboardTranslator k;
  auto type = [&](std::uint16_t sc, std::uint16_t ext = 0) {
    auto r = k.key(ext, sc);
    k.key(ext | kKeyRelease, sc);
    return lines.on_key(r, SessionTime(0));
  };
  // "lss" BackSpace " -l" Home "x" Delete End Enter -> "ls -l"? no: Home then x inserts at 0.
  for (auto sc : {0x26, 0x1f, 0x1f})
    type(sc);
  type(0x0e);  // BackSpace -> "ls"
  for (auto sc : {0x39, 0x0c, 0x26})
    type(sc);                // " -l"
  type(0x47, kKeyExtended);  // Home
  type(0x2d);                // "x" at the start
  type(0x4b, kKeyExtended);  // Left, back over the x
  type(0x53, kKeyExtended);  // Delete the x
  type(0x4f, kKeyExtended);  // End
  auto line = type(0x1c);    // Enter
  REQUIRE(line);
  CHECK(line->line == "ls -l");
  CHECK(line->end == "enter");
  CHECK(!type(0x1c));  // an empty Enter is not a line
  lines.on_text("é", SessionTime(100));
  auto idle = lines.on_time(SessionTime(100) + LineReconstructor::kIdle);
  REQUIRE(idle);
  CHECK(idle->line == "é");
  CHECK(idle->end == "idle");
}
