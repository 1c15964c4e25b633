#include "rdp/front_peer.hpp"
#include <algorithm>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <thread>

#include <fmt/format.h>
#include <freerdp/channels/wtsvc.h>
#include <freerdp/error.h>
#include <freerdp/freerdp.h>
#include <nlohmann/json.hpp>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

#include "rdp/front_callbacks.hpp"
#include "rdp/latency_trace.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

void set_bool(rdpSettings* s, size_t id, bool value) {
  freerdp_settings_set_bool(s, id, value ? TRUE : FALSE);
}

// Wipes a string setting FreeRDP holds a copy of (the Client Info password, our TLS key).
void wipe_setting(rdpSettings* s, size_t id) {
  if (const char* value = freerdp_settings_get_string(s, id)) {
    wipe(const_cast<char*>(value), std::strlen(value));
    freerdp_settings_set_string(s, id, nullptr);
  }
}

std::string setting_string(rdpSettings* s, size_t id) {
  const char* value = freerdp_settings_get_string(s, id);
  return value ? std::string(value) : std::string{};
}

UINT on_disp_layout(DispServerContext* context,
                    const DISPLAY_CONTROL_MONITOR_LAYOUT_PDU* pdu) noexcept {
  auto* self = context ? static_cast<FrontPeer*>(context->custom) : nullptr;
  if (!self || !pdu || pdu->NumMonitors < 1 || !pdu->Monitors) return CHANNEL_RC_OK;
  try {
    self->on_monitor_layout(static_cast<int>(pdu->Monitors[0].Width),
                            static_cast<int>(pdu->Monitors[0].Height));
  } catch (...) {
  }
  return CHANNEL_RC_OK;
}

}  // namespace

FrontPeer::FrontPeer(Session& session, Broker& broker, int socket_fd, AdmitHook admit)
    : session_(session),
      broker_(broker),
      admit_(std::move(admit)),
      peer_(make_peer(socket_fd)),
      auth_(broker, session.settings().security),
      duration_limit_(session.settings().max_duration, session.settings().warn_before_minutes) {
  configure();
}

FrontPeer::~FrontPeer() {
  stop_back();
  output_.reset();
  disp_.reset();
  gfx_.reset();
}

void FrontPeer::configure() {
  freerdp_peer* peer = peer_.get();
  peer->ContextSize = sizeof(FrontContext);
  if (!freerdp_peer_context_new(peer)) throw FreeRdpError("freerdp_peer_context_new failed");
  reinterpret_cast<FrontContext*>(peer->context)->self = this;
  std::snprintf(peer->hostname, sizeof(peer->hostname), "%s",
                session_.settings().client_address.c_str());

  rdpSettings* s = peer->settings;
  const auto& settings = session_.settings();
  freerdp_settings_set_string(s, FreeRDP_CertificateContent, settings.certificate_pem.c_str());
  freerdp_settings_set_string(s, FreeRDP_PrivateKeyContent, settings.private_key_pem.c_str());
  const bool nla = settings.security == RdpSecurity::nla;
  set_bool(s, FreeRDP_NlaSecurity, nla);
  set_bool(s, FreeRDP_TlsSecurity, !nla);
  set_bool(s, FreeRDP_RdpSecurity, false);  // Standard RDP Security is never offered
  freerdp_settings_set_uint32(s, FreeRDP_ColorDepth, 32);
  set_bool(s, FreeRDP_SupportGraphicsPipeline, true);
  set_bool(s, FreeRDP_RemoteFxCodec, false);
  set_bool(s, FreeRDP_NSCodec, false);
  set_bool(s, FreeRDP_SurfaceFrameMarkerEnabled, true);
  set_bool(s, FreeRDP_FrameMarkerCommandEnabled, true);
  set_bool(s, FreeRDP_SuppressOutput, true);
  set_bool(s, FreeRDP_RefreshRect, true);
  set_bool(s, FreeRDP_DesktopResize, true);
  set_bool(s, FreeRDP_SupportMonitorLayoutPdu, true);
  set_bool(s, FreeRDP_UnicodeInput, true);
  set_bool(s, FreeRDP_HasExtendedMouseEvent, true);
  set_bool(s, FreeRDP_HasHorizontalWheel, true);
  freerdp_settings_set_uint32(s, FreeRDP_MultifragMaxRequestSize, 0xFFFFFF);
  freerdp_settings_set_uint32(s, FreeRDP_GlyphSupportLevel, GLYPH_SUPPORT_NONE);
  // No drawing orders: only bitmaps and surfaces, which we produce ourselves.
  std::memset(s->OrderSupport, 0, 32);

  install_front_callbacks(peer);
  vcm_ = make_vcm(peer->context);
  output_ = std::make_unique<FrontOutput>(session_, peer);
  if (!peer->Initialize(peer)) throw FreeRdpError("peer initialisation failed");
}

void FrontPeer::run() {
  try {
    if (first_bytes_plausible()) loop();
  } catch (const std::exception& e) {
    session_.end(SessionEnd::gateway_error, e.what());
  }
  finish();
}

bool FrontPeer::first_bytes_plausible() {
  // An RDP connection opens with a TPKT-framed X.224 Connection Request of a few dozen bytes.
  // FreeRDP would wait for the rest of whatever length garbage announces; refusing anything
  // else at once keeps a port scanner or a confused client from holding a worker until the
  // handshake timeout.
  const int fd = peer_->sockfd;
  unsigned char header[4] = {};
  const auto deadline = std::chrono::steady_clock::now() + session_.settings().handshake_timeout;
  while (!session_.ending() && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(fd, header, sizeof(header), MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0) {
      session_.end(SessionEnd::client_disconnect, "the client closed the connection at once");
      return false;
    }
    if (header[0] != 0x03) break;  // not TPKT version 3
    if (n < 4) {
      // Part of the header: poll() would report it again at once, so wait a little.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    const int length = (header[2] << 8) | header[3];
    if (length >= 11 && length <= 4096) return true;
    break;
  }
  if (!session_.ending())
    session_.end(SessionEnd::client_protocol_error, "not an RDP connection request");
  return false;
}

void FrontPeer::loop() {
  freerdp_peer* peer = peer_.get();
  while (!session_.ending()) {
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    DWORD count = peer->GetEventHandles(peer, handles, MAXIMUM_WAIT_OBJECTS - 3);
    if (count == 0) {
      session_.end(classify_disconnect(), "the client connection has no events");
      return;
    }
    handles[count++] = WTSVirtualChannelManagerGetEventHandle(vcm_.get());
    handles[count++] = session_.abort_event();
    handles[count++] = session_.wake_event();
    const auto timeout = static_cast<DWORD>(output_->idle_timeout().count());
    if (WaitForMultipleObjects(count, handles, FALSE, timeout) == WAIT_FAILED) {
      session_.end(SessionEnd::gateway_error, "waiting on the client connection failed");
      return;
    }
    session_.woken();
    latency_trace::mark("peer-wake");
    if (session_.ending()) return;
    if (!peer->CheckFileDescriptor(peer)) {
      session_.end(classify_disconnect(), "the client connection closed");
      return;
    }
    if (!WTSVirtualChannelManagerCheckFileDescriptor(vcm_.get())) {
      end_on_channel_failure();
      return;
    }
    drive_channels();
    apply_controls();
    if (!check_duration()) return;
    start_back();
    if (!output_->pump()) {
      session_.end(SessionEnd::client_disconnect, "writing to the client failed");
      return;
    }
    log_statistics();
    // Graphics pipeline PDUs are queued in the channel manager: send them now, not next round.
    if (!WTSVirtualChannelManagerCheckFileDescriptor(vcm_.get())) {
      end_on_channel_failure();
      return;
    }
  }
}

void FrontPeer::on_logon(const Login& login, bool nla) {
  if (nla) auth_.nla_succeeded(login);
}

bool FrontPeer::on_capabilities() {
  mcs_connected_ = true;
  rdpSettings* s = peer_->settings;
  if (auth_.mode() == RdpSecurity::tls) {
    Login login{setting_string(s, FreeRDP_Username), setting_string(s, FreeRDP_Domain)};
    Secret password(setting_string(s, FreeRDP_Password));
    wipe_setting(s, FreeRDP_Password);
    auth_.check_password(login, password);
  }
  // Clients also send the password in the Client Info PDU under NLA: never keep it.
  wipe_setting(s, FreeRDP_Password);
  if (!auth_.authenticated()) {
    deny(SessionEnd::authentication_failed, "wrong password or unknown user");
    return false;
  }
  const auto& verdict = auth_.authorize();
  if (verdict.denial) {
    deny(*verdict.denial, verdict.detail);
    return false;
  }
  const auto& grant = verdict.grant;
  if (admit_ && !admit_(grant)) {
    deny(SessionEnd::recording_failed, "the session cannot be recorded");
    return false;
  }
  log::info("user {} authorized for {} as {}", grant.user, grant.target, grant.account_login);
  session_.report({SessionState::authorized, grant.user, grant.target, grant.account_login});
  output_->set_lobby_status("Connecting to " + grant.target + " as " + grant.account_login + "...");
  return true;
}

void FrontPeer::deny(SessionEnd reason, std::string_view detail) {
  log::info("denied user '{}': {} ({})", auth_.login().user.empty() ? "?" : auth_.login().user,
            describe(reason), detail);
  session_.end(reason, detail);
  send_error_info(reason);
}

void FrontPeer::send_error_info(SessionEnd reason) {
  const auto code = error_info_to_send(reason);
  if (!code || error_info_sent_) return;
  error_info_sent_ = true;
  freerdp_set_error_info(peer_->context->rdp, code);
  freerdp_send_error_info(peer_->context->rdp);
}

void FrontPeer::apply_controls() {
  using Action = ControlRequest::Action;
  const auto& settings = session_.settings();
  for (auto& c : session_.controls().take()) {
    log::info("{} by {}{}", to_string(c.action), c.actor.empty() ? "an auditor" : c.actor,
              c.text.empty() ? "" : ": " + c.text);
    nlohmann::json fields{{"action", to_string(c.action)}, {"actor", c.actor}};
    switch (c.action) {
      case Action::suspend:
        output_->show_suspended_banner();
        break;
      case Action::resume:
        output_->clear_banner();
        break;
      case Action::message:
        output_->show_banner(c.text, c.duration, FrontOutput::BannerStyle::message);
        fields["text"] = c.text;
        break;
      case Action::watch_started:
        if (settings.watch_notice && handshake_done_)
          output_->show_banner("An auditor is watching this session.",
                               settings.watch_notice_duration, FrontOutput::BannerStyle::message);
        fields["action"] = "start";
        break;
      case Action::watch_stopped:
        fields["action"] = "stop";
        break;
    }
    const bool watch = c.action == Action::watch_started || c.action == Action::watch_stopped;
    session_.sinks().events.on_event(watch ? "watch" : "control", fields.dump(),
                                     session_.clock().now());
  }
}

bool FrontPeer::check_duration() {
  // Counted from admission (the session clock); announced once the admin sees the target, so a
  // warning due at once is not hidden behind the lobby or replaced by the start notice.
  if (duration_limit_.unlimited() || !back_ || !back_->active() || !output_->target_shown())
    return true;
  const auto step = duration_limit_.due(session_.clock().now());
  if (!step) return true;
  if (step->kind == DurationLimit::Step::Kind::end) {
    log::info("maximum session duration reached");
    session_.sinks().events.on_event(
        "policy", nlohmann::json{{"action", "max-duration"}, {"minutes_left", 0}}.dump(),
        session_.clock().now());
    session_.end(SessionEnd::max_duration, "maximum session duration reached");
    return false;
  }
  const std::string text = fmt::format(
      "This session reaches its time limit in {} minute{}: it will then be ended. "
      "Save your work.",
      step->minutes_left, step->minutes_left == 1 ? "" : "s");
  output_->show_banner(text, std::chrono::seconds(20), FrontOutput::BannerStyle::warning);
  log::info("warned: {} minute(s) left", step->minutes_left);
  session_.sinks().events.on_event(
      "policy",
      nlohmann::json{
          {"action", "max-duration-warning"}, {"minutes_left", step->minutes_left}, {"text", text}}
          .dump(),
      session_.clock().now());
  return true;
}

void FrontPeer::log_statistics() {
  if (log::level() > LogLevel::debug) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_statistics_) return;
  next_statistics_ = now + std::chrono::seconds(10);
  log::debug(
      "statistics: {} target updates ({} kpx), {} frames to the client ({} kpx), relay delay {}",
      session_.frame().paints(), session_.frame().painted_pixels() / 1000, output_->frames_sent(),
      output_->pixels_sent() / 1000, output_->relay_delay().summary());
}

bool FrontPeer::on_post_connect() {
  rdpSettings* s = peer_->settings;
  wipe_setting(s, FreeRDP_Password);
  back_options_.width = static_cast<int>(freerdp_settings_get_uint32(s, FreeRDP_DesktopWidth));
  back_options_.height = static_cast<int>(freerdp_settings_get_uint32(s, FreeRDP_DesktopHeight));
  back_options_.keyboard_layout = freerdp_settings_get_uint32(s, FreeRDP_KeyboardLayout);
  back_options_.keyboard_type = freerdp_settings_get_uint32(s, FreeRDP_KeyboardType);
  back_options_.keyboard_subtype = freerdp_settings_get_uint32(s, FreeRDP_KeyboardSubType);
  back_options_.keyboard_function_keys =
      freerdp_settings_get_uint32(s, FreeRDP_KeyboardFunctionKey);
  session_.sinks().input.on_keyboard_layout(back_options_.keyboard_layout, session_.clock().now());
  log::info("client {}x{} depth {} layout {:#010x} gfx {}", back_options_.width,
            back_options_.height, freerdp_settings_get_uint32(s, FreeRDP_ColorDepth),
            back_options_.keyboard_layout,
            freerdp_settings_get_bool(s, FreeRDP_SupportGraphicsPipeline) ? "yes" : "no");
  return true;
}

bool FrontPeer::on_activate() {
  if (!handshake_done_.exchange(true)) {
    // TLS is up for good: our private key's copy in FreeRDP's settings is no longer needed.
    wipe_setting(peer_->settings, FreeRDP_PrivateKeyContent);
  }
  output_->on_activated(
      freerdp_settings_get_bool(peer_->settings, FreeRDP_SupportGraphicsPipeline));
  return true;
}

void FrontPeer::drive_channels() {
  if (!handshake_done_ || !WTSVirtualChannelManagerIsChannelJoined(vcm_.get(), "drdynvc")) return;
  const BYTE state = WTSVirtualChannelManagerGetDrdynvcState(vcm_.get());
  if (state != DRDYNVC_STATE_READY) return;
  rdpSettings* s = peer_->settings;
  if (!gfx_ && freerdp_settings_get_bool(s, FreeRDP_SupportGraphicsPipeline)) {
    gfx_ = std::make_unique<GfxChannel>(peer_->context, vcm_.get(), [this] { session_.wake(); });
    if (!gfx_->open()) log::info("the client did not open the graphics pipeline");
    output_->set_gfx_channel(gfx_.get());
  }
  if (!disp_) {
    disp_ = make_disp_server(vcm_.get());
    disp_->custom = this;
    disp_->rdpcontext = peer_->context;
    disp_->MaxNumMonitors = 1;
    disp_->MaxMonitorAreaFactorA = 8192;
    disp_->MaxMonitorAreaFactorB = 8192;
    disp_->DispMonitorLayout = on_disp_layout;
    if (disp_->Open(disp_.get()) == CHANNEL_RC_OK) disp_->DisplayControlCaps(disp_.get());
  }
}

void FrontPeer::start_back() {
  if (back_) {
    if (back_->active() && !back_reported_active_) {
      back_reported_active_ = true;
      back_->send_synchronize(toggle_flags_);
      session_.report({SessionState::active,
                       auth_.login().user,
                       {},
                       {},
                       back_options_.width,
                       back_options_.height});
    }
    return;
  }
  if (!handshake_done_ || !auth_.authorized()) return;
  session_.report({SessionState::connecting, {}, {}, {}});
  back_ = std::make_unique<BackClient>(session_, broker_, auth_.take_grant(), back_options_);
  back_->start();
}

void FrontPeer::on_synchronize(std::uint32_t flags) {
  toggle_flags_ = flags;
  session_.sinks().input.on_keyboard_sync(flags, session_.clock().now());
  if (back_) back_->send_synchronize(flags);
}

void FrontPeer::on_keyboard(std::uint16_t flags, std::uint16_t code) {
  if (!back_ || !back_->active() || session_.controls().suspended()) return;
  latency_trace::mark("key");
  if (!sockets_traced_ && latency_trace::enabled()) {
    sockets_traced_ = true;  // once, when both connections are up and a bench is typing
    latency_trace::mark_sockets();
  }
  session_.sinks().input.on_key(flags, code, session_.clock().now());
  back_->send_keyboard(flags, code);
  latency_trace::mark("key-sent");
}

void FrontPeer::on_unicode(std::uint16_t flags, std::uint16_t code) {
  if (!back_ || !back_->active() || session_.controls().suspended()) return;
  session_.sinks().input.on_unicode(flags, code, session_.clock().now());
  back_->send_unicode(flags, code);
}

void FrontPeer::on_mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y, bool extended) {
  if (!back_ || !back_->active() || session_.controls().suspended()) return;
  // The client sees the target's pixels 1:1; keep the pointer inside the target's desktop.
  const int w = session_.frame().width();
  const int h = session_.frame().height();
  if (w <= 0 || h <= 0) return;
  const auto cx = static_cast<std::uint16_t>(std::min<int>(x, w - 1));
  const auto cy = static_cast<std::uint16_t>(std::min<int>(y, h - 1));
  session_.sinks().input.on_mouse(flags, cx, cy, session_.clock().now());
  if (extended)
    back_->send_extended_mouse(flags, cx, cy);
  else
    back_->send_mouse(flags, cx, cy);
}

void FrontPeer::on_monitor_layout(int width, int height) {
  // Runs on the display channel's thread; BackClient::request_resize is thread-safe, but back_
  // is created on the peer thread, so only forward once it exists.
  if (width < 200 || height < 200 || width > 8192 || height > 8192) return;
  if (handshake_done_ && back_) back_->request_resize(width & ~1, height & ~1);
}

bool FrontPeer::stop_back() {
  if (!back_) return true;
  return back_->stop();
}

void FrontPeer::end_on_channel_failure() {
  // The channel manager also fails when it cannot write to a client that has just gone away
  // (a closed mstsc window, a dropped network): that is a disconnect, not malformed data.
  pollfd p{peer_->sockfd, POLLIN | POLLRDHUP, 0};
  const bool hung_up = ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  if (hung_up)
    session_.end(classify_disconnect(), "the client connection closed");
  else
    session_.end(SessionEnd::client_protocol_error, "virtual channel failure");
}

SessionEnd FrontPeer::classify_disconnect() const {
  if (handshake_done_) return SessionEnd::client_disconnect;
  if (auth_.attempted() && !auth_.authenticated()) return SessionEnd::authentication_failed;
  return SessionEnd::client_protocol_error;
}

std::uint32_t FrontPeer::error_info_to_send(SessionEnd reason) const {
  if (!mcs_connected_) return 0;  // nothing can be sent before the MCS connection exists
  switch (reason) {
    case SessionEnd::client_disconnect:
      return 0;
    case SessionEnd::authentication_failed:
      return 0x9;  // TLS-only mode: shown like a denial, whichever of user or password was wrong
    case SessionEnd::target_disconnect: {
      // Plain session-level codes (logoff, idle, disconnect) mean the same to the admin;
      // anything else from the target is not passed through.
      const auto code = session_.target_error_info();
      return code >= 0x1 && code <= 0xC ? code : error_info_for(reason);
    }
    default:
      return error_info_for(reason);
  }
}

void FrontPeer::finish() {
  const SessionEnd reason = session_.end_reason().value_or(SessionEnd::gateway_error);
  freerdp_peer* peer = peer_.get();
  // The client is told why (Set Error Info), then the connection closes gracefully. No MCS
  // Disconnect Provider Ultimatum: FreeRDP's says "user requested", which clients then show as
  // a logoff by the user instead of the reason we gave.
  if (mcs_connected_) send_error_info(reason);
  close_gracefully(peer->sockfd);
  peer->Disconnect(peer);
  log::info(
      "session ended: {} ({}); {} target updates ({} Mpx), {} frames to the client ({} Mpx, {}); "
      "relay delay (target paint to client send) {}",
      describe(reason), session_.end_detail(), session_.frame().paints(),
      session_.frame().painted_pixels() / 1000000, output_->frames_sent(),
      output_->pixels_sent() / 1000000, output_->encoder_name(), output_->relay_delay().summary());
}

void FrontPeer::close_gracefully(int fd) {
  // Closing a socket with unread input makes the kernel send a reset, and a reset can discard
  // the last PDUs (the error info) before the client reads them. Send FIN instead and drain what
  // the client still sends until it closes too, for at most half a second.
  if (fd < 0 || ::shutdown(fd, SHUT_WR) != 0) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 1))) <= 0) break;
    if (::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT) <= 0) break;
  }
}

}  // namespace rdpwarden::server::rdp
