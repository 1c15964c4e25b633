#include "keyboard_translator.hpp"
#include <array>

#include <rdpwarden/codec/session_sink.hpp>

namespace rdpwarden::codec {
namespace {

struct KlidLayout {
  std::uint32_t klid;
  const char* layout;
  const char* variant;
};

// Windows keyboard layout identifiers (KLID) and their XKB layouts.
constexpr std::array<KlidLayout, 34> kLayouts{{
    {0x00000409, "us", ""},       {0x00020409, "us", "intl"}, {0x00010409, "us", "dvorak"},
    {0x00000809, "gb", ""},       {0x00001809, "ie", ""},     {0x00000407, "de", ""},
    {0x00000807, "ch", ""},       {0x00000c07, "at", ""},     {0x0000040c, "fr", ""},
    {0x0000080c, "be", ""},       {0x0000100c, "ch", "fr"},   {0x00000c0c, "ca", "fr-legacy"},
    {0x00001009, "ca", "multix"}, {0x00000410, "it", ""},     {0x0000040a, "es", ""},
    {0x00000c0a, "es", ""},       {0x0000080a, "latam", ""},  {0x00000413, "nl", ""},
    {0x00000813, "be", ""},       {0x00000816, "pt", ""},     {0x00000416, "br", ""},
    {0x00000406, "dk", ""},       {0x00000414, "no", ""},     {0x0000041d, "se", ""},
    {0x0000040b, "fi", ""},       {0x00000415, "pl", ""},     {0x00000405, "cz", ""},
    {0x0000041b, "sk", ""},       {0x0000040e, "hu", ""},     {0x00000419, "ru", ""},
    {0x00000422, "ua", ""},       {0x00000411, "jp", ""},     {0x00000412, "kr", ""},
    {0x0000041f, "tr", ""},
}};

bool is_modifier(xkb_keysym_t sym) {
  return (sym >= XKB_KEY_Shift_L && sym <= XKB_KEY_Hyper_R) || sym == XKB_KEY_ISO_Level3_Shift ||
         sym == XKB_KEY_ISO_Level5_Shift || sym == XKB_KEY_Mode_switch || sym == XKB_KEY_Num_Lock ||
         sym == XKB_KEY_Scroll_Lock;
}

bool is_control_text(const std::string& text) {
  return text.size() == 1 && (static_cast<unsigned char>(text[0]) < 0x20 || text[0] == 0x7f);
}

std::string keysym_name(xkb_keysym_t sym) {
  char name[64] = {};
  if (xkb_keysym_get_name(sym, name, sizeof name) < 0) return {};
  return name;
}

std::string state_utf8(xkb_state* state, xkb_keycode_t kc) {
  char buf[64] = {};
  int n = xkb_state_key_get_utf8(state, kc, buf, sizeof buf);
  return n > 0 && static_cast<std::size_t>(n) < sizeof buf ? std::string(buf, n) : std::string();
}

}  // namespace

std::pair<std::string, std::string> KeyboardTranslator::layout_for_klid(std::uint32_t klid) {
  for (const auto& l : kLayouts)
    if (l.klid == klid) return {l.layout, l.variant};
  // The low word is the language; a variant KLID (0x0001xxxx) of a known language still
  // gets that language's base layout.
  for (const auto& l : kLayouts)
    if (l.klid == (klid & 0xffff)) return {l.layout, l.variant};
  return {};
}

std::uint32_t KeyboardTranslator::evdev_keycode(std::uint16_t scancode, bool extended) {
  if (!extended) {
    // Set-1 scancodes 0x01-0x58 equal Linux KEY_* codes; a few Japanese/Korean keys differ.
    if (scancode >= 0x01 && scancode <= 0x58) return scancode;
    switch (scancode) {
      case 0x70:
        return 93;  // KEY_KATAKANAHIRAGANA
      case 0x73:
        return 89;  // KEY_RO
      case 0x79:
        return 92;  // KEY_HENKAN
      case 0x7b:
        return 94;  // KEY_MUHENKAN
      case 0x7d:
        return 124;  // KEY_YEN
      default:
        return 0;
    }
  }
  switch (scancode) {
    case 0x1c:
      return 96;  // KP Enter
    case 0x1d:
      return 97;  // Right Ctrl
    case 0x35:
      return 98;  // KP /
    case 0x37:
      return 99;  // Print Screen
    case 0x38:
      return 100;  // Right Alt (AltGr)
    case 0x47:
      return 102;  // Home
    case 0x48:
      return 103;  // Up
    case 0x49:
      return 104;  // Page Up
    case 0x4b:
      return 105;  // Left
    case 0x4d:
      return 106;  // Right
    case 0x4f:
      return 107;  // End
    case 0x50:
      return 108;  // Down
    case 0x51:
      return 109;  // Page Down
    case 0x52:
      return 110;  // Insert
    case 0x53:
      return 111;  // Delete
    case 0x5b:
      return 125;  // Left Windows
    case 0x5c:
      return 126;  // Right Windows
    case 0x5d:
      return 127;  // Menu
    default:
      return 0;
  }
}

KeyboardTranslator::KeyboardTranslator()
    : context_(xkb::make_context()),
      keymap_(xkb::make_keymap(context_.get(), "us", "")),
      state_(xkb::make_state(keymap_.get())),
      compose_table_(xkb::make_compose_table(context_.get())),
      compose_(xkb::make_compose_state(compose_table_.get())) {}

std::string KeyboardTranslator::set_layout(std::uint32_t klid) {
  auto [layout, variant] = layout_for_klid(klid);
  if (layout.empty()) layout = "us";
  keymap_ = xkb::make_keymap(context_.get(), layout.c_str(), variant.c_str());
  state_ = xkb::make_state(keymap_.get());
  if (compose_) xkb_compose_state_reset(compose_.get());
  return variant.empty() ? layout : layout + "(" + variant + ")";
}

void KeyboardTranslator::sync(std::uint32_t toggle_flags) {
  xkb_mod_mask_t locked = 0;
  auto lock = [&](const char* name) {
    xkb_mod_index_t i = xkb_keymap_mod_get_index(keymap_.get(), name);
    if (i != XKB_MOD_INVALID) locked |= 1u << i;
  };
  if (toggle_flags & 0x2) lock(XKB_MOD_NAME_NUM);
  if (toggle_flags & 0x4) lock(XKB_MOD_NAME_CAPS);
  xkb_state_update_mask(state_.get(),
                        xkb_state_serialize_mods(state_.get(), XKB_STATE_MODS_DEPRESSED),
                        xkb_state_serialize_mods(state_.get(), XKB_STATE_MODS_LATCHED), locked, 0,
                        0, xkb_state_serialize_layout(state_.get(), XKB_STATE_LAYOUT_LOCKED));
}

KeyResult KeyboardTranslator::key(std::uint16_t flags, std::uint16_t scancode) {
  KeyResult r;
  r.down = (flags & kKeyRelease) == 0;
  std::uint32_t evdev = evdev_keycode(scancode & 0xff, (flags & kKeyExtended) != 0);
  if (evdev == 0) {
    r.name = "unknown";
    return r;
  }
  const xkb_keycode_t kc = evdev + 8;
  xkb_keysym_t sym = xkb_state_key_get_one_sym(state_.get(), kc);
  r.modifier = is_modifier(sym);
  if (r.down && !r.modifier) {
    r.ctrl_or_alt =
        xkb_state_mod_name_is_active(state_.get(), XKB_MOD_NAME_CTRL, XKB_STATE_MODS_EFFECTIVE) >
            0 ||
        xkb_state_mod_name_is_active(state_.get(), XKB_MOD_NAME_ALT, XKB_STATE_MODS_EFFECTIVE) > 0;
    bool composed = false;
    if (compose_ && !r.ctrl_or_alt) {
      xkb_compose_state_feed(compose_.get(), sym);
      switch (xkb_compose_state_get_status(compose_.get())) {
        case XKB_COMPOSE_COMPOSING:
          composed = true;  // a dead key: its text comes with the next key
          break;
        case XKB_COMPOSE_COMPOSED: {
          char buf[64] = {};
          int n = xkb_compose_state_get_utf8(compose_.get(), buf, sizeof buf);
          if (n > 0 && static_cast<std::size_t>(n) < sizeof buf) r.text.assign(buf, n);
          sym = xkb_compose_state_get_one_sym(compose_.get());
          xkb_compose_state_reset(compose_.get());
          composed = true;
          break;
        }
        case XKB_COMPOSE_CANCELLED:
          xkb_compose_state_reset(compose_.get());
          composed = true;
          break;
        case XKB_COMPOSE_NOTHING:
          break;
      }
    }
    if (!composed) r.text = state_utf8(state_.get(), kc);
    if (r.ctrl_or_alt || is_control_text(r.text)) r.text.clear();
  }
  r.name = keysym_name(sym);
  xkb_state_update_key(state_.get(), kc, r.down ? XKB_KEY_DOWN : XKB_KEY_UP);
  return r;
}

}  // namespace rdpwarden::codec
