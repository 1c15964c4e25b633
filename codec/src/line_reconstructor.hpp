#pragma once
// Rebuilds the lines an admin typed from translated keystrokes, so an auditor reads
// "systemctl stop nginx" instead of forty key events. It edits a line buffer the way a shell
// prompt would (insert at the cursor, BackSpace, Delete, Left/Right, Home/End) and ends a line
// on Enter, Tab, a click elsewhere, history recall (Up/Down), Ctrl+C, or idle time. What the
// target echoes back (tab completion, recalled history) is not visible here.

#include <optional>
#include <string>

#include <rdpwarden/codec/geometry.hpp>

#include "keyboard_translator.hpp"

namespace rdpwarden::codec {

struct TypedLine {
  std::string line;  // UTF-8
  std::string end;   // enter, tab, focus, idle, history, interrupt
};

class LineReconstructor {
 public:
  static constexpr std::chrono::seconds kIdle{10};

  std::optional<TypedLine> on_key(const KeyResult& key, SessionTime t);
  std::optional<TypedLine> on_text(std::string_view utf8, SessionTime t);
  std::optional<TypedLine> on_focus_change();
  // Ends a line nobody typed into for kIdle.
  std::optional<TypedLine> on_time(SessionTime now);
  std::optional<SessionTime> idle_deadline() const;

 private:
  std::optional<TypedLine> end_line(const char* reason);
  void insert(std::string_view utf8);

  std::u32string line_;
  std::size_t cursor_ = 0;
  SessionTime last_{0};
};

std::u32string utf8_to_utf32(std::string_view utf8);
std::string utf32_to_utf8(std::u32string_view text);

}  // namespace rdpwarden::codec
