#pragma once
// What a session delivers to whoever observes it (the recorder, the live view): the gateway's
// composite framebuffer with its dirty rectangles, the cursor, and the admin's input, all on
// the session's clock (SessionTime). The gateway calls these; the recorder implements them.
//
// Threading contract: the gateway calls every method from its paint/input threads and may hold
// its framebuffer lock while calling on_frame. An implementation must return quickly: copy what
// it needs and hand work to its own thread; never block, never call back into the gateway.
// `frame` is only valid during the call.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::codec {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // The framebuffer changed inside `dirty` (already clipped to the frame).
  virtual void on_frame(const FrameView& frame, std::span<const Rect> dirty, SessionTime t) = 0;
  // The desktop size changed; the next on_frame carries the whole new frame as dirty.
  virtual void on_resize(int width, int height, SessionTime t) = 0;
  virtual void on_cursor_shape(const CursorImage& cursor, SessionTime t) = 0;
  virtual void on_cursor_position(int x, int y, SessionTime t) = 0;
  virtual void on_cursor_visible(bool visible, SessionTime t) = 0;
};

// Keyboard flags as on the wire (MS-RDPBCGR 2.2.8.1.1.3.1.1.1): 0x4000 down, 0x8000 release,
// 0x0100 extended, 0x0200 extended1.
inline constexpr std::uint16_t kKeyRelease = 0x8000;
inline constexpr std::uint16_t kKeyExtended = 0x0100;
inline constexpr std::uint16_t kKeyExtended1 = 0x0200;

// Pointer flags as on the wire (TS_POINTER_EVENT): 0x0800 move, 0x1000 button1 (left),
// 0x2000 button2 (right), 0x4000 button3 (middle), 0x8000 down, 0x0200 wheel.
class InputSink {
 public:
  virtual ~InputSink() = default;
  // The admin's keyboard layout (a Windows KLID such as 0x00000409 en-US, 0x00000407 de-DE,
  // 0x0000040C fr-FR), known after the connection sequence; may change with a sync event.
  virtual void on_keyboard_layout(std::uint32_t klid, SessionTime t) = 0;
  // Toggle state from a Synchronize event: bit 0 scroll, 1 num, 2 caps, 3 kana lock.
  virtual void on_keyboard_sync(std::uint32_t toggle_flags, SessionTime t) = 0;
  virtual void on_key(std::uint16_t flags, std::uint16_t scancode, SessionTime t) = 0;
  virtual void on_unicode(std::uint16_t flags, std::uint16_t code_unit, SessionTime t) = 0;
  virtual void on_mouse(std::uint16_t flags, int x, int y, SessionTime t) = 0;
};

// Session-level facts for the event log (lifecycle, notices, control actions). `kind` comes
// from the closed event catalogue (see docs/recording-format.md); `json_fields` is a JSON object
// text with the event's fields, produced by the caller.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(std::string_view kind, std::string_view json_fields, SessionTime t) = 0;
};

// Does nothing: for sessions that are not observed and for tests.
class NullSessionSink final : public FrameSink, public InputSink, public EventSink {
 public:
  void on_frame(const FrameView&, std::span<const Rect>, SessionTime) override {}
  void on_resize(int, int, SessionTime) override {}
  void on_cursor_shape(const CursorImage&, SessionTime) override {}
  void on_cursor_position(int, int, SessionTime) override {}
  void on_cursor_visible(bool, SessionTime) override {}
  void on_keyboard_layout(std::uint32_t, SessionTime) override {}
  void on_keyboard_sync(std::uint32_t, SessionTime) override {}
  void on_key(std::uint16_t, std::uint16_t, SessionTime) override {}
  void on_unicode(std::uint16_t, std::uint16_t, SessionTime) override {}
  void on_mouse(std::uint16_t, int, int, SessionTime) override {}
  void on_event(std::string_view, std::string_view, SessionTime) override {}
};

}  // namespace rdpwarden::codec
