#pragma once
// The back side: an RDP client toward the target, logged in with the vaulted account. It decodes
// everything the target draws into FreeRDP's gdi framebuffer and copies the dirty rectangles
// into the session's composite frame; nothing from the target goes anywhere else.
//
// Threads: start() spawns T-target, which connects and then runs the client's event loop; paint
// callbacks run there or on FreeRDP's dynamic-channel thread. The send_* and request_resize
// methods are called from the front's peer thread (FreeRDP serialises transport writes).

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <freerdp/client/disp.h>
#include <freerdp/freerdp.h>

#include "rdp/broker.hpp"
#include "rdp/freerdp_handles.hpp"
#include "rdp/session.hpp"

namespace rdpwarden::server::rdp {

// What the admin's client asked for, passed on to the target.
struct BackOptions {
  int width = 1024;
  int height = 768;
  std::uint32_t keyboard_layout = 0x409;
  std::uint32_t keyboard_type = 4;
  std::uint32_t keyboard_subtype = 0;
  std::uint32_t keyboard_function_keys = 12;
};

class BackClient {
 public:
  BackClient(Session& session, Broker& broker, TargetGrant grant, BackOptions options);
  ~BackClient();
  BackClient(const BackClient&) = delete;
  BackClient& operator=(const BackClient&) = delete;

  void start();
  // Aborts the connection and joins T-target, waiting at most `grace`. Returns false when the
  // thread did not finish (it is then detached; the worker process is about to exit anyway).
  bool stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
  // The target finished its connection sequence and accepts input.
  bool active() const { return active_.load(); }

  // Input toward the target; dropped until active().
  void send_synchronize(std::uint32_t toggle_flags);
  void send_keyboard(std::uint16_t flags, std::uint16_t scancode);
  void send_unicode(std::uint16_t flags, std::uint16_t code);
  void send_mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y);
  void send_extended_mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y);
  // Asks the target to change its desktop size (display control channel), when it supports it.
  void request_resize(int width, int height);

  // --- called from FreeRDP callbacks (back_callbacks.cpp) ---
  Session& session() { return session_; }
  Broker& broker() { return broker_; }
  const TargetGrant& grant() const { return grant_; }
  void on_connected_paint_ready();
  void on_activated();
  void on_disp_channel(DispClientContext* disp);
  void on_certificate_rejected() { certificate_rejected_ = true; }
  void remember_pointer(const void* key, std::shared_ptr<const codec::CursorImage> image);
  void forget_pointer(const void* key);
  std::shared_ptr<const codec::CursorImage> find_pointer(const void* key);

 private:
  void run() noexcept;
  void configure_settings();
  bool connect();
  void event_loop();
  void apply_pending_resize();
  SessionEnd classify_connect_failure() const;

  Session& session_;
  Broker& broker_;
  TargetGrant grant_;
  BackOptions options_;
  ClientContextPtr context_;
  EventPtr command_event_;  // wakes T-target for a resize request
  std::thread thread_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> active_{false};
  std::atomic<bool> certificate_rejected_{false};
  std::atomic<DispClientContext*> disp_{nullptr};
  std::mutex resize_mutex_;
  std::optional<std::pair<int, int>> pending_resize_;
  std::mutex pointers_mutex_;
  std::map<const void*, std::shared_ptr<const codec::CursorImage>> pointers_;
};

}  // namespace rdpwarden::server::rdp
