#include "rdp/front_output.hpp"
#include <algorithm>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "rdp/bitmap_encoder.hpp"
#include "rdp/latency_trace.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

// How long a client that announced the graphics pipeline gets to open it before we fall back
// to bitmap updates.
constexpr auto kGfxOpenGrace = std::chrono::seconds(3);
// After this long without changes, areas sent lossy are re-sent exactly.
constexpr auto kRefineDelay = std::chrono::milliseconds(300);

}  // namespace

FrontOutput::FrontOutput(Session& session, freerdp_peer* peer)
    : session_(session), peer_(peer), pointer_(peer) {
  try {
    painter_.emplace();
  } catch (const std::exception& e) {
    // Without a font the lobby and notice are plain; the session itself still works.
    log::warn("no font for the lobby and notice: {}", e.what());
  }
}

void FrontOutput::on_activated(bool gfx_capable) {
  activated_ = true;
  gfx_capable_ = gfx_capable;
  if (awaiting_reactivation_) {
    awaiting_reactivation_ = false;
    encoder_width_ = encoder_height_ = 0;  // the client rebuilt its desktop: reset
  }
  if (gfx_deadline_ == Clock::time_point{}) gfx_deadline_ = Clock::now() + kGfxOpenGrace;
  pointer_.forget_cache();
  session_.pointer().repost();
  session_.frame().mark_all_for_user();
  lobby_drawn_ = false;
}

void FrontOutput::set_suppressed(bool suppressed) {
  suppressed_ = suppressed;
  if (!suppressed) refresh();
}

UserEncoder* FrontOutput::encoder() {
  if (encoder_) return encoder_.get();
  // RDPWARDEN_BENCH_CLIENT_CODECS (auto, avc, planar, bitmap) exists only to measure the
  // alternatives (tests/bench/RESULTS.md); auto is what every session uses.
  const char* bench = std::getenv("RDPWARDEN_BENCH_CLIENT_CODECS");
  const std::string codecs = bench ? bench : "auto";
  if (gfx_capable_ && codecs != "bitmap") {
    const auto state = gfx_ ? gfx_->state() : GfxChannel::State::closed;
    if (state == GfxChannel::State::ready) {
      GfxTuning tuning;
      if (codecs == "planar") tuning.avc_min_coverage = 2.0;  // never
      if (codecs == "avc") tuning.avc_min_coverage = 0.0;     // every frame
      encoder_ = std::make_unique<GfxEncoder>(*gfx_, tuning);
    } else if (state == GfxChannel::State::failed || Clock::now() >= gfx_deadline_) {
      encoder_ = std::make_unique<BitmapEncoder>(peer_);
    } else {
      return nullptr;  // still opening
    }
  } else {
    encoder_ = std::make_unique<BitmapEncoder>(peer_);
  }
  log::info("sending to the client as {}", encoder_->name());
  return encoder_.get();
}

bool FrontOutput::ensure_size(int width, int height) {
  if (width == encoder_width_ && height == encoder_height_) return true;
  rdpSettings* s = peer_->settings;
  const bool legacy = dynamic_cast<BitmapEncoder*>(encoder_.get()) != nullptr;
  const auto desktop_w = static_cast<int>(freerdp_settings_get_uint32(s, FreeRDP_DesktopWidth));
  const auto desktop_h = static_cast<int>(freerdp_settings_get_uint32(s, FreeRDP_DesktopHeight));
  if (legacy && (width != desktop_w || height != desktop_h) &&
      freerdp_settings_get_bool(s, FreeRDP_DesktopResize)) {
    // The client's desktop follows the target's with a deactivation-reactivation sequence;
    // nothing is drawn until the client is active again.
    freerdp_settings_set_uint32(s, FreeRDP_DesktopWidth, static_cast<UINT32>(width));
    freerdp_settings_set_uint32(s, FreeRDP_DesktopHeight, static_cast<UINT32>(height));
    awaiting_reactivation_ = true;
    activated_ = false;
    log::info("resizing the client's desktop to {}x{}", width, height);
    if (!peer_->update->DesktopResize(peer_->context))
      session_.end(SessionEnd::client_disconnect, "the client's desktop could not be resized");
    return false;
  }
  if (!encoder_->reset(width, height)) {
    session_.end(SessionEnd::client_protocol_error, "the client's graphics surface failed");
    return false;
  }
  if (!legacy) {
    freerdp_settings_set_uint32(s, FreeRDP_DesktopWidth, static_cast<UINT32>(width));
    freerdp_settings_set_uint32(s, FreeRDP_DesktopHeight, static_cast<UINT32>(height));
  }
  encoder_width_ = width;
  encoder_height_ = height;
  session_.frame().mark_all_for_user();
  lobby_drawn_ = false;
  return true;
}

render::Canvas FrontOutput::canvas() {
  return {user_frame_.data(), user_frame_.width(), user_frame_.height(), user_frame_.stride()};
}

bool FrontOutput::pump() {
  if (!activated_) return true;
  if (auto pointer = session_.pointer().take_newer(pointer_seen_)) {
    if (!pointer_.send(*pointer)) return false;
  }
  if (suppressed_ || !encoder()) return true;
  return session_.frame().painted() ? pump_target() : pump_lobby();
}

bool FrontOutput::pump_lobby() {
  if (lobby_drawn_ || !encoder_->can_send()) return true;
  const auto w =
      static_cast<int>(freerdp_settings_get_uint32(peer_->settings, FreeRDP_DesktopWidth));
  const auto h =
      static_cast<int>(freerdp_settings_get_uint32(peer_->settings, FreeRDP_DesktopHeight));
  if (!ensure_size(w, h)) return !session_.ending();
  user_frame_.resize(w, h);
  if (painter_) {
    painter_->paint_lobby(canvas(), {"rdpwarden", lobby_status_, session_.settings().notice_text});
  } else {
    user_frame_.fill(user_frame_.bounds(), 0x1d2733);
  }
  const codec::Rect all = user_frame_.bounds();
  lobby_drawn_ = true;
  return encoder_->send(user_frame_, {&all, 1});
}

bool FrontOutput::pump_target() {
  if (!encoder_->can_send()) return true;
  if (!ensure_size(session_.frame().width(), session_.frame().height())) return !session_.ending();
  auto update = session_.frame().take(user_frame_);
  if (!target_shown_ && !update.rects.empty()) {
    target_shown_ = true;
    const auto& settings = session_.settings();
    if (!settings.notice_text.empty() && settings.notice_duration.count() > 0) {
      show_banner(settings.notice_text, settings.notice_duration, BannerStyle::notice);
      nlohmann::json fields{{"text", settings.notice_text},
                            {"seconds", settings.notice_duration.count()}};
      session_.sinks().events.on_event("notice.shown", fields.dump(), session_.clock().now());
    }
    if (session_.controls().suspended()) show_suspended_banner();
  }
  update_banner(update.rects);
  if (update.rects.empty()) {
    if (refine_pending_ && Clock::now() - last_send_ >= kRefineDelay) {
      refine_pending_ = false;
      return encoder_->refine(user_frame_);
    }
    return true;
  }
  // The client's surface is the encoder's size; never send outside it.
  const codec::Rect surface{0, 0, encoder_width_, encoder_height_};
  for (auto& r : update.rects)
    r = codec::intersect(r, surface);
  std::erase_if(update.rects, [](const codec::Rect& r) { return r.empty(); });
  last_send_ = Clock::now();
  refine_pending_ = true;
  ++frames_sent_;
  for (const auto& r : update.rects)
    pixels_sent_ += static_cast<std::uint64_t>(r.width) * static_cast<std::uint64_t>(r.height);
  latency_trace::mark("encode");
  const bool sent = encoder_->send(user_frame_, update.rects);
  latency_trace::mark("sent");
  if (update.painted_at != Clock::time_point{})
    relay_delay_.record(Clock::now() - update.painted_at);
  return sent;
}

void FrontOutput::show_banner(std::string text, std::optional<Clock::duration> duration,
                              BannerStyle style) {
  if (banner_) session_.frame().mark_for_user(banner_rect_);  // the old one goes
  banner_ = Banner{std::move(text),
                   duration ? std::optional(Clock::now() + *duration) : std::nullopt, style};
  banner_rect_ = {};
  session_.wake();
}

void FrontOutput::show_suspended_banner() {
  show_banner(
      "An auditor suspended this session: your keyboard and mouse do not reach the "
      "server until it is resumed.",
      std::nullopt, BannerStyle::suspended);
}

void FrontOutput::clear_banner() {
  if (!banner_) return;
  session_.frame().mark_for_user(banner_rect_);
  banner_.reset();
  banner_rect_ = {};
  session_.wake();
}

void FrontOutput::update_banner(std::vector<codec::Rect>& rects) {
  if (!banner_) return;
  if (banner_->until && Clock::now() >= *banner_->until) {
    // The banner goes: the target's pixels under it are sent again. A suspended session keeps
    // saying so once a message over it has been read.
    clear_banner();
    if (session_.controls().suspended()) show_suspended_banner();
    return;
  }
  if (!painter_) return;
  const codec::Rect where =
      painter_->banner_rect(user_frame_.width(), user_frame_.height(), banner_->text);
  const bool moved = !(where == banner_rect_);
  const bool touched = std::any_of(rects.begin(), rects.end(), [&](const codec::Rect& r) {
    return !codec::intersect(r, where).empty();
  });
  if (moved || touched) {
    if (moved && !banner_rect_.empty()) session_.frame().mark_for_user(banner_rect_);
    static constexpr render::Rgb kColors[] = {0x7a1f1f, 0x1f3f7a, 0x8a5200, 0x8a5200};
    painter_->paint_banner(canvas(), where, banner_->text,
                           kColors[static_cast<int>(banner_->style)]);
    banner_rect_ = where;
    rects.push_back(where);
  }
}

std::chrono::milliseconds FrontOutput::idle_timeout() const {
  using std::chrono::milliseconds;
  // Whatever the target or the client does wakes the loop; this only bounds how late timed
  // work runs when nothing else happens (the duration limit's warnings, statistics).
  milliseconds timeout{1000};
  const auto until = [](Clock::time_point t) {
    return std::max(std::chrono::duration_cast<milliseconds>(t - Clock::now()), milliseconds{1});
  };
  if (!encoder_ && gfx_capable_ && activated_) timeout = std::min(timeout, until(gfx_deadline_));
  if (banner_ && banner_->until) timeout = std::min(timeout, until(*banner_->until));
  if (refine_pending_) timeout = std::min(timeout, until(last_send_ + kRefineDelay));
  return timeout;
}

}  // namespace rdpwarden::server::rdp
