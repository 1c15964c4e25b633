#pragma once
// Everything the admin's client sees, produced on the front's peer thread: the lobby while the
// target connects, then the target's composite picture with the recording notice over it for
// its first seconds, and the target's pointer. Picks the encoder (graphics pipeline or bitmaps)
// and keeps the client's desktop the size of the target's.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <freerdp/peer.h>

#include "rdp/delay_histogram.hpp"
#include "rdp/framebuffer.hpp"
#include "rdp/gfx_channel.hpp"
#include "rdp/gfx_encoder.hpp"
#include "rdp/session.hpp"
#include "rdp/user_encoder.hpp"
#include "rdp/user_pointer.hpp"
#include "render/screen_painter.hpp"

namespace rdpwarden::server::rdp {

class FrontOutput {
 public:
  using Clock = std::chrono::steady_clock;

  FrontOutput(Session& session, freerdp_peer* peer);

  // The client finished (re)activation: graphics may flow. `gfx_capable` says whether it
  // announced the graphics pipeline (we then wait briefly for the channel).
  void on_activated(bool gfx_capable);
  void on_deactivated() { activated_ = false; }
  void set_gfx_channel(GfxChannel* gfx) { gfx_ = gfx; }
  void set_suppressed(bool suppressed);
  void refresh() {
    session_.frame().mark_all_for_user();
    lobby_drawn_ = false;
  }
  void set_lobby_status(std::string status) {
    lobby_status_ = std::move(status);
    lobby_drawn_ = false;
  }

  // A banner over the target's picture (the recording notice, an auditor's message, the
  // suspended notice); one at a time, the newest wins. No duration: until cleared.
  enum class BannerStyle { notice, message, suspended, warning };
  void show_banner(std::string text, std::optional<Clock::duration> duration, BannerStyle style);
  void show_suspended_banner();
  void clear_banner();

  // Sends whatever is pending. False when writing to the client failed.
  bool pump();
  // How long the peer loop may sleep before pump() has timed work to do.
  std::chrono::milliseconds idle_timeout() const;
  // The target's picture has reached the client (the lobby is gone).
  bool target_shown() const { return target_shown_; }
  const char* encoder_name() const { return encoder_ ? encoder_->name() : "none"; }
  // Frames and tiles sent to the client since the start, for the session's statistics.
  std::uint64_t frames_sent() const { return frames_sent_; }
  std::uint64_t pixels_sent() const { return pixels_sent_; }
  // Target paint -> re-encoded and handed to the client's connection, per frame sent.
  const DelayHistogram& relay_delay() const { return relay_delay_; }

 private:
  UserEncoder* encoder();
  bool ensure_size(int width, int height);
  bool pump_lobby();
  bool pump_target();
  void update_banner(std::vector<codec::Rect>& rects);
  render::Canvas canvas();

  Session& session_;
  freerdp_peer* peer_;
  GfxChannel* gfx_ = nullptr;
  std::unique_ptr<UserEncoder> encoder_;
  std::optional<render::ScreenPainter> painter_;
  UserPointer pointer_;
  std::uint64_t pointer_seen_ = 0;
  Framebuffer user_frame_;
  bool activated_ = false;
  bool gfx_capable_ = false;
  bool suppressed_ = false;
  bool lobby_drawn_ = false;
  bool awaiting_reactivation_ = false;
  bool target_shown_ = false;
  int encoder_width_ = 0;
  int encoder_height_ = 0;
  std::string lobby_status_ = "Connecting...";
  Clock::time_point gfx_deadline_{};
  Clock::time_point last_send_{};
  bool refine_pending_ = false;
  struct Banner {
    std::string text;
    std::optional<Clock::time_point> until;
    BannerStyle style = BannerStyle::notice;
  };
  std::optional<Banner> banner_;
  codec::Rect banner_rect_{};
  std::uint64_t frames_sent_ = 0;
  std::uint64_t pixels_sent_ = 0;
  DelayHistogram relay_delay_;
};

}  // namespace rdpwarden::server::rdp
