#pragma once
// How the gateway's own picture reaches the admin's client. Two implementations: the graphics
// pipeline (GfxEncoder) and legacy bitmap updates every client renders (BitmapEncoder).
//
// Threads: only the front's peer thread calls these (it is the one writer to the client).

#include <span>

#include <rdpwarden/codec/geometry.hpp>

#include "rdp/framebuffer.hpp"

namespace rdpwarden::server::rdp {

class UserEncoder {
 public:
  virtual ~UserEncoder() = default;
  // The client's picture is (re)built for a width x height desktop; the next send() must carry
  // the whole frame. False: the client cannot follow (the session ends).
  virtual bool reset(int width, int height) = 0;
  // Whether a frame can go out now (the client keeps up with what was sent).
  virtual bool can_send() const = 0;
  // Sends the parts of `frame` inside `rects`. False: writing to the client failed.
  virtual bool send(const Framebuffer& frame, std::span<const codec::Rect> rects) = 0;
  // Called when nothing changed for a while: an encoder that sent lossy pictures may now send
  // the exact pixels. Returns false on a write failure.
  virtual bool refine(const Framebuffer& frame) = 0;
  // Name for logs ("gfx-planar+avc420", "bitmap-planar", ...).
  virtual const char* name() const = 0;
};

}  // namespace rdpwarden::server::rdp
