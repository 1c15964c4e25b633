#include "line_reconstructor.hpp"

namespace rdpwarden::codec {

std::u32string utf8_to_utf32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || s.size() - i <= static_cast<std::size_t>(extra)) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? c : c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

std::string utf32_to_utf8(std::u32string_view text) {
  std::string out;
  for (char32_t cp : text) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  return out;
}

std::optional<TypedLine> LineReconstructor::end_line(const char* reason) {
  if (line_.empty()) return std::nullopt;
  TypedLine out{utf32_to_utf8(line_), reason};
  line_.clear();
  cursor_ = 0;
  return out;
}

void LineReconstructor::insert(std::string_view utf8) {
  auto cps = utf8_to_utf32(utf8);
  line_.insert(cursor_, cps);
  cursor_ += cps.size();
  // A line that never ends (a paste of a whole file) is cut rather than grown forever.
  constexpr std::size_t kMaxLine = 4096;
  if (line_.size() > kMaxLine) {
    line_.erase(0, line_.size() - kMaxLine);
    cursor_ = std::min(cursor_, line_.size());
  }
}

std::optional<TypedLine> LineReconstructor::on_key(const KeyResult& key, SessionTime t) {
  if (!key.down || key.modifier) return std::nullopt;
  last_ = t;
  const std::string& n = key.name;
  if (key.ctrl_or_alt) {
    if (n == "c" || n == "C") return end_line("interrupt");
    return std::nullopt;
  }
  if (n == "Return" || n == "KP_Enter") return end_line("enter");
  if (n == "Tab" || n == "ISO_Left_Tab") return end_line("tab");
  if (n == "Up" || n == "Down" || n == "KP_Up" || n == "KP_Down") return end_line("history");
  if (n == "BackSpace") {
    if (cursor_ > 0) line_.erase(--cursor_, 1);
  } else if (n == "Delete" || n == "KP_Delete") {
    if (cursor_ < line_.size()) line_.erase(cursor_, 1);
  } else if (n == "Left" || n == "KP_Left") {
    if (cursor_ > 0) --cursor_;
  } else if (n == "Right" || n == "KP_Right") {
    if (cursor_ < line_.size()) ++cursor_;
  } else if (n == "Home" || n == "KP_Home") {
    cursor_ = 0;
  } else if (n == "End" || n == "KP_End") {
    cursor_ = line_.size();
  } else if (!key.text.empty()) {
    insert(key.text);
  }
  return std::nullopt;
}

std::optional<TypedLine> LineReconstructor::on_text(std::string_view utf8, SessionTime t) {
  last_ = t;
  if (utf8 == "\r" || utf8 == "\n") return end_line("enter");
  if (utf8 == "\t") return end_line("tab");
  if (utf8 == "\b") {
    if (cursor_ > 0) line_.erase(--cursor_, 1);
    return std::nullopt;
  }
  insert(utf8);
  return std::nullopt;
}

std::optional<TypedLine> LineReconstructor::on_focus_change() {
  return end_line("focus");
}

std::optional<TypedLine> LineReconstructor::on_time(SessionTime now) {
  if (line_.empty() || now - last_ < kIdle) return std::nullopt;
  return end_line("idle");
}

std::optional<SessionTime> LineReconstructor::idle_deadline() const {
  if (line_.empty()) return std::nullopt;
  return last_ + kIdle;
}

}  // namespace rdpwarden::codec
