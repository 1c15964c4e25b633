#pragma once
// RAII owners for libxkbcommon handles, made by null-checking factories.

#include <memory>

#include <xkbcommon/xkbcommon-compose.h>
#include <xkbcommon/xkbcommon.h>

namespace rdpwarden::codec::xkb {

struct ContextDeleter {
  void operator()(xkb_context* c) const { xkb_context_unref(c); }
};
struct KeymapDeleter {
  void operator()(xkb_keymap* k) const { xkb_keymap_unref(k); }
};
struct StateDeleter {
  void operator()(xkb_state* s) const { xkb_state_unref(s); }
};
struct ComposeTableDeleter {
  void operator()(xkb_compose_table* t) const { xkb_compose_table_unref(t); }
};
struct ComposeStateDeleter {
  void operator()(xkb_compose_state* s) const { xkb_compose_state_unref(s); }
};

using ContextPtr = std::unique_ptr<xkb_context, ContextDeleter>;
using KeymapPtr = std::unique_ptr<xkb_keymap, KeymapDeleter>;
using StatePtr = std::unique_ptr<xkb_state, StateDeleter>;
using ComposeTablePtr = std::unique_ptr<xkb_compose_table, ComposeTableDeleter>;
using ComposeStatePtr = std::unique_ptr<xkb_compose_state, ComposeStateDeleter>;

// Throw RecordingError when libxkbcommon returns null.
ContextPtr make_context();
KeymapPtr make_keymap(xkb_context* context, const char* layout, const char* variant);
StatePtr make_state(xkb_keymap* keymap);
// Null (no throw) when the locale has no compose table: dead keys then produce no text.
ComposeTablePtr make_compose_table(xkb_context* context);
ComposeStatePtr make_compose_state(xkb_compose_table* table);

}  // namespace rdpwarden::codec::xkb
