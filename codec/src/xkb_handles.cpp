#include "xkb_handles.hpp"

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec::xkb {

ContextPtr make_context() {
  ContextPtr ctx(xkb_context_new(XKB_CONTEXT_NO_ENVIRONMENT_NAMES));
  if (!ctx) throw RecordingError("xkb_context_new failed");
  return ctx;
}

KeymapPtr make_keymap(xkb_context* context, const char* layout, const char* variant) {
  xkb_rule_names names{"evdev", "pc105", layout, variant, ""};
  KeymapPtr keymap(xkb_keymap_new_from_names(context, &names, XKB_KEYMAP_COMPILE_NO_FLAGS));
  if (!keymap) throw RecordingError(fmt::format("no XKB keymap for layout '{}'", layout));
  return keymap;
}

StatePtr make_state(xkb_keymap* keymap) {
  StatePtr state(xkb_state_new(keymap));
  if (!state) throw RecordingError("xkb_state_new failed");
  return state;
}

ComposeTablePtr make_compose_table(xkb_context* context) {
  // The admin's client locale is unknown; en_US.UTF-8's table holds the usual dead-key
  // sequences (dead_circumflex + e = ê) that de/fr layouts need.
  return ComposeTablePtr(
      xkb_compose_table_new_from_locale(context, "en_US.UTF-8", XKB_COMPOSE_COMPILE_NO_FLAGS));
}

ComposeStatePtr make_compose_state(xkb_compose_table* table) {
  if (!table) return nullptr;
  return ComposeStatePtr(xkb_compose_state_new(table, XKB_COMPOSE_STATE_NO_FLAGS));
}

}  // namespace rdpwarden::codec::xkb
