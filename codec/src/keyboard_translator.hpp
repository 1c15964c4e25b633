#pragma once
// RDP keystrokes (scancode + flags) to text under the client's keyboard layout, with
// libxkbcommon: the Windows KLID picks an XKB layout, scancodes become evdev keycodes,
// xkb_state tracks modifiers and locks, and the compose table turns dead keys into letters.

#include <cstdint>
#include <string>

#include "xkb_handles.hpp"

namespace rdpwarden::codec {

struct KeyResult {
  std::string text;  // UTF-8 the key produced ("" for non-printing keys and key-ups)
  std::string name;  // keysym name: "a", "Return", "BackSpace", "dead_circumflex"
  bool down = false;
  bool modifier = false;     // Shift, Control, Alt, ...
  bool ctrl_or_alt = false;  // a shortcut, not typing (AltGr excluded)
};

class KeyboardTranslator {
 public:
  KeyboardTranslator();  // en-US until told otherwise

  // Returns the XKB layout name chosen (e.g. "de"); unknown KLIDs fall back to "us".
  std::string set_layout(std::uint32_t klid);
  // Synchronize event: bit 0 scroll, 1 num, 2 caps lock.
  void sync(std::uint32_t toggle_flags);
  KeyResult key(std::uint16_t flags, std::uint16_t scancode);

  // The XKB layout and variant for a Windows KLID ("us", ""), or empty when unknown.
  static std::pair<std::string, std::string> layout_for_klid(std::uint32_t klid);
  // The evdev keycode for an RDP scancode (extended: the E0 prefix), 0 when unknown.
  static std::uint32_t evdev_keycode(std::uint16_t scancode, bool extended);

 private:
  xkb::ContextPtr context_;
  xkb::KeymapPtr keymap_;
  xkb::StatePtr state_;
  xkb::ComposeTablePtr compose_table_;
  xkb::ComposeStatePtr compose_;
};

}  // namespace rdpwarden::codec
