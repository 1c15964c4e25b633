#include "rdp/back_client.hpp"
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <future>
#include <pthread.h>
#include <string>

#include <freerdp/channels/disp.h>
#include <freerdp/client.h>
#include <freerdp/error.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/settings.h>
#include <winpr/synch.h>

#include "rdp/back_callbacks.hpp"
#include "rdp/latency_trace.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

void set_bool(rdpSettings* s, size_t id, bool value) {
  freerdp_settings_set_bool(s, id, value ? TRUE : FALSE);
}

// FreeRDP copies strings into its settings; the password copy is wiped once connected.
void wipe_setting(rdpSettings* s, size_t id) {
  if (const char* value = freerdp_settings_get_string(s, id)) {
    wipe(const_cast<char*>(value), std::strlen(value));
    freerdp_settings_set_string(s, id, nullptr);
  }
}

}  // namespace

BackClient::BackClient(Session& session, Broker& broker, TargetGrant grant, BackOptions options)
    : session_(session),
      broker_(broker),
      grant_(std::move(grant)),
      options_(options),
      context_(make_client_context(back_entry_points())),
      command_event_(make_event()) {
  reinterpret_cast<BackContext*>(context_.get())->self = this;
  configure_settings();
  grant_.password.clear();  // FreeRDP holds the only copy now, until connected
}

BackClient::~BackClient() {
  stop();
}

void BackClient::configure_settings() {
  rdpSettings* s = context_->settings;
  freerdp_settings_set_string(s, FreeRDP_ServerHostname, grant_.host.c_str());
  freerdp_settings_set_uint32(s, FreeRDP_ServerPort, grant_.port);
  freerdp_settings_set_string(s, FreeRDP_Username, grant_.account_login.c_str());
  freerdp_settings_set_string(
      s, FreeRDP_Domain, grant_.account_domain.empty() ? nullptr : grant_.account_domain.c_str());
  freerdp_settings_set_string(s, FreeRDP_Password, grant_.password.c_str());
  freerdp_settings_set_string(s, FreeRDP_ClientHostname, "rdpwarden");
  set_bool(s, FreeRDP_AutoLogonEnabled, true);
  // NLA when the target offers it, TLS otherwise; never Standard RDP Security.
  set_bool(s, FreeRDP_NlaSecurity, true);
  set_bool(s, FreeRDP_TlsSecurity, true);
  set_bool(s, FreeRDP_RdpSecurity, false);
  set_bool(s, FreeRDP_ExtSecurity, false);
  set_bool(s, FreeRDP_NegotiateSecurityLayer, true);
  // We verify the certificate ourselves against the pinned fingerprint (VerifyX509Certificate);
  // FreeRDP's known_hosts store is never consulted or written.
  set_bool(s, FreeRDP_ExternalCertificateManagement, true);
  freerdp_settings_set_uint32(
      s, FreeRDP_TcpConnectTimeout,
      static_cast<UINT32>(session_.settings().target_connect_timeout.count()));

  freerdp_settings_set_uint32(s, FreeRDP_DesktopWidth, static_cast<UINT32>(options_.width));
  freerdp_settings_set_uint32(s, FreeRDP_DesktopHeight, static_cast<UINT32>(options_.height));
  freerdp_settings_set_uint32(s, FreeRDP_ColorDepth, 32);
  freerdp_settings_set_uint32(s, FreeRDP_KeyboardLayout, options_.keyboard_layout);
  freerdp_settings_set_uint32(s, FreeRDP_KeyboardType, options_.keyboard_type);
  freerdp_settings_set_uint32(s, FreeRDP_KeyboardSubType, options_.keyboard_subtype);
  freerdp_settings_set_uint32(s, FreeRDP_KeyboardFunctionKey, options_.keyboard_function_keys);
  set_bool(s, FreeRDP_SoftwareGdi, true);

  // Graphics from the target: the GFX pipeline (every codec FreeRDP decodes, H.264 included)
  // with the legacy bitmap path as the target's fallback. RDPWARDEN_BENCH_TARGET_CODECS
  // (gfx-avc, gfx, bitmap) exists only to measure the alternatives (tests/bench/RESULTS.md).
  const char* bench = std::getenv("RDPWARDEN_BENCH_TARGET_CODECS");
  const std::string codecs = bench ? bench : "gfx-avc";
  set_bool(s, FreeRDP_SupportGraphicsPipeline, codecs != "bitmap");
  set_bool(s, FreeRDP_GfxH264, codecs == "gfx-avc");
  set_bool(s, FreeRDP_GfxAVC444, false);
  set_bool(s, FreeRDP_GfxAVC444v2, false);
  set_bool(s, FreeRDP_GfxThinClient, false);
  set_bool(s, FreeRDP_GfxSmallCache, false);
  set_bool(s, FreeRDP_GfxProgressive, true);
  set_bool(s, FreeRDP_RemoteFxCodec, false);
  set_bool(s, FreeRDP_NSCodec, false);
  set_bool(s, FreeRDP_FastPathOutput, true);
  set_bool(s, FreeRDP_FrameMarkerCommandEnabled, true);
  set_bool(s, FreeRDP_SurfaceFrameMarkerEnabled, true);
  set_bool(s, FreeRDP_SupportDisplayControl, true);
  set_bool(s, FreeRDP_DynamicResolutionUpdate, true);

  // Every redirection off: clipboard, drives, printers, smart cards, audio, and the RDP8
  // features that would quietly load the device redirection channel.
  set_bool(s, FreeRDP_RedirectClipboard, false);
  set_bool(s, FreeRDP_DeviceRedirection, false);
  set_bool(s, FreeRDP_RedirectDrives, false);
  set_bool(s, FreeRDP_RedirectHomeDrive, false);
  set_bool(s, FreeRDP_RedirectPrinters, false);
  set_bool(s, FreeRDP_RedirectSmartCards, false);
  set_bool(s, FreeRDP_RedirectSerialPorts, false);
  set_bool(s, FreeRDP_RedirectParallelPorts, false);
  set_bool(s, FreeRDP_AudioPlayback, false);
  set_bool(s, FreeRDP_AudioCapture, false);
  set_bool(s, FreeRDP_RemoteConsoleAudio, false);
  set_bool(s, FreeRDP_NetworkAutoDetect, false);
  set_bool(s, FreeRDP_SupportHeartbeatPdu, false);
  set_bool(s, FreeRDP_SupportMultitransport, false);
  set_bool(s, FreeRDP_RemoteApplicationMode, false);
  set_bool(s, FreeRDP_AutoReconnectionEnabled, false);
  set_bool(s, FreeRDP_GrabMouse, true);
}

void BackClient::start() {
  session_.mark_target_connecting();
  thread_ = std::thread([this] {
    // Named so that per-thread CPU (/proc/<pid>/task) says which part of a session costs what.
    pthread_setname_np(pthread_self(), "rdpw-target");
    run();
  });
}

bool BackClient::stop(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return true;
  freerdp_abort_connect(context_->instance);
  SetEvent(command_event_.get());
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (!finished_.load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!finished_.load()) {
    log::warn("target connection did not stop within {} ms", grace.count());
    thread_.detach();
    (void)context_.release();  // still in use by the stuck thread; the process exits soon
    return false;
  }
  thread_.join();
  return true;
}

void BackClient::run() noexcept {
  try {
    if (connect()) event_loop();
  } catch (const std::exception& e) {
    session_.end(SessionEnd::gateway_error, e.what());
  } catch (...) {
    session_.end(SessionEnd::gateway_error, "unknown exception on the target thread");
  }
  active_ = false;
  freerdp_disconnect(context_->instance);
  finished_ = true;
  session_.wake();
}

bool BackClient::connect() {
  log::info("connecting to target {} at {}:{} as {}", grant_.target, grant_.host, grant_.port,
            grant_.account_login);
  const bool ok = freerdp_connect(context_->instance) == TRUE;
  wipe_setting(context_->settings, FreeRDP_Password);
  if (session_.ending()) return false;
  if (!ok) {
    const SessionEnd reason = classify_connect_failure();
    const UINT32 code = freerdp_get_last_error(context_.get());
    session_.end(reason, freerdp_get_last_error_string(code));
    return false;
  }
  return true;
}

SessionEnd BackClient::classify_connect_failure() const {
  if (certificate_rejected_) return SessionEnd::target_certificate;
  switch (freerdp_get_last_error(context_.get())) {
    case FREERDP_ERROR_AUTHENTICATION_FAILED:
    case FREERDP_ERROR_CONNECT_LOGON_FAILURE:
    case FREERDP_ERROR_CONNECT_WRONG_PASSWORD:
    case FREERDP_ERROR_CONNECT_ACCOUNT_LOCKED_OUT:
    case FREERDP_ERROR_CONNECT_ACCOUNT_DISABLED:
    case FREERDP_ERROR_CONNECT_ACCOUNT_EXPIRED:
    case FREERDP_ERROR_CONNECT_PASSWORD_EXPIRED:
    case FREERDP_ERROR_CONNECT_PASSWORD_CERTAINLY_EXPIRED:
    case FREERDP_ERROR_CONNECT_PASSWORD_MUST_CHANGE:
    case FREERDP_ERROR_CONNECT_ACCESS_DENIED:
    case FREERDP_ERROR_CONNECT_LOGON_TYPE_NOT_GRANTED:
    case FREERDP_ERROR_CONNECT_ACCOUNT_RESTRICTION:
      return SessionEnd::target_auth_failed;
    default:
      return SessionEnd::target_unreachable;
  }
}

void BackClient::event_loop() {
  while (!session_.ending()) {
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    DWORD count = freerdp_get_event_handles(context_.get(), handles, MAXIMUM_WAIT_OBJECTS - 2);
    if (count == 0) {
      session_.end(SessionEnd::gateway_error, "no event handles for the target connection");
      return;
    }
    handles[count++] = session_.abort_event();
    handles[count++] = command_event_.get();
    // Everything here is event-driven; the timeout is only a safety net.
    if (WaitForMultipleObjects(count, handles, FALSE, 1000) == WAIT_FAILED) {
      session_.end(SessionEnd::gateway_error, "wait failed on the target connection");
      return;
    }
    latency_trace::mark("target-wake");
    ResetEvent(command_event_.get());  // before looking at the commands: none is lost
    if (session_.ending()) return;
    apply_pending_resize();
    if (!freerdp_check_event_handles(context_.get()) ||
        freerdp_shall_disconnect(context_->instance)) {
      // With a reason (logoff, idle timeout...) the target ended the session; without one the
      // connection broke (the target crashed, rebooted, or the network went away).
      const UINT32 info = freerdp_error_info(context_->instance);
      if (info) {
        session_.set_target_error_info(info);
        session_.end(SessionEnd::target_disconnect, freerdp_get_error_info_string(info));
      } else {
        session_.end(SessionEnd::target_lost, "the connection closed without a reason");
      }
      return;
    }
  }
}

void BackClient::on_connected_paint_ready() {
  rdpGdi* gdi = context_->gdi;
  session_.frame().resize(static_cast<int>(gdi->width), static_cast<int>(gdi->height));
}

void BackClient::on_activated() {
  const bool first = !active_.exchange(true);
  session_.mark_target_active();
  if (first) {
    // FreeRDP activates inside freerdp_connect, before PostConnect builds the gdi.
    log::info("target {} active ({}x{})", grant_.target,
              freerdp_settings_get_uint32(context_->settings, FreeRDP_DesktopWidth),
              freerdp_settings_get_uint32(context_->settings, FreeRDP_DesktopHeight));
  }
  session_.wake();
}

void BackClient::on_disp_channel(DispClientContext* disp) {
  disp_ = disp;
}

void BackClient::send_synchronize(std::uint32_t toggle_flags) {
  if (active_) freerdp_input_send_synchronize_event(context_->input, toggle_flags);
}

void BackClient::send_keyboard(std::uint16_t flags, std::uint16_t scancode) {
  if (active_) freerdp_input_send_keyboard_event(context_->input, flags, scancode);
}

void BackClient::send_unicode(std::uint16_t flags, std::uint16_t code) {
  if (active_) freerdp_input_send_unicode_keyboard_event(context_->input, flags, code);
}

void BackClient::send_mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) {
  if (active_) freerdp_input_send_mouse_event(context_->input, flags, x, y);
}

void BackClient::send_extended_mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) {
  if (active_) freerdp_input_send_extended_mouse_event(context_->input, flags, x, y);
}

void BackClient::request_resize(int width, int height) {
  {
    std::lock_guard lock(resize_mutex_);
    pending_resize_ = std::make_pair(width, height);
  }
  SetEvent(command_event_.get());
}

void BackClient::apply_pending_resize() {
  std::optional<std::pair<int, int>> size;
  {
    std::lock_guard lock(resize_mutex_);
    size.swap(pending_resize_);
  }
  DispClientContext* disp = disp_.load();
  if (!size || !disp || !active_) return;
  DISPLAY_CONTROL_MONITOR_LAYOUT layout{};
  layout.Flags = DISPLAY_CONTROL_MONITOR_PRIMARY;
  layout.Width = static_cast<UINT32>(size->first);
  layout.Height = static_cast<UINT32>(size->second);
  layout.DesktopScaleFactor = 100;
  layout.DeviceScaleFactor = 100;
  layout.Orientation = ORIENTATION_LANDSCAPE;
  if (disp->SendMonitorLayout(disp, 1, &layout) != CHANNEL_RC_OK)
    log::warn("the target refused a resize to {}x{}", size->first, size->second);
}

void BackClient::remember_pointer(const void* key,
                                  std::shared_ptr<const codec::CursorImage> image) {
  std::lock_guard lock(pointers_mutex_);
  pointers_[key] = std::move(image);
}

void BackClient::forget_pointer(const void* key) {
  std::lock_guard lock(pointers_mutex_);
  pointers_.erase(key);
}

std::shared_ptr<const codec::CursorImage> BackClient::find_pointer(const void* key) {
  std::lock_guard lock(pointers_mutex_);
  auto it = pointers_.find(key);
  return it == pointers_.end() ? nullptr : it->second;
}

}  // namespace rdpwarden::server::rdp
