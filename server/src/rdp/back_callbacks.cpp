#include "rdp/back_callbacks.hpp"
#include <cstring>
#include <vector>

#include <freerdp/channels/disp.h>
#include <freerdp/channels/rdpgfx.h>
#include <freerdp/client/channels.h>
#include <freerdp/client/cmdline.h>
#include <freerdp/client/rdpgfx.h>
#include <freerdp/codec/color.h>
#include <freerdp/event.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/gdi/gfx.h>
#include <freerdp/graphics.h>

#include "rdp/back_client.hpp"
#include "rdp/certificate.hpp"
#include "rdp/latency_trace.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

// Runs `f` and turns any exception into a session end: nothing may unwind through FreeRDP.
template <typename R, typename F>
R guarded(BackClient* self, R on_error, F&& f) noexcept {
  try {
    if (!self) return on_error;
    return f();
  } catch (const std::exception& e) {
    self->session().end(SessionEnd::gateway_error, e.what());
  } catch (...) {
    self->session().end(SessionEnd::gateway_error, "unknown exception in a target callback");
  }
  return on_error;
}

BOOL on_begin_paint(rdpContext* context) noexcept {
  latency_trace::mark("begin-paint");
  if (!context->gdi || !context->gdi->primary) return TRUE;
  HGDI_WND hwnd = context->gdi->primary->hdc->hwnd;
  hwnd->invalid->null = TRUE;
  hwnd->ninvalid = 0;
  return TRUE;
}

BOOL on_end_paint(rdpContext* context) noexcept {
  auto* self = back_client_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    rdpGdi* gdi = context->gdi;
    if (!gdi || !gdi->primary) return TRUE;
    HGDI_WND hwnd = gdi->primary->hdc->hwnd;
    if (hwnd->ninvalid < 1) return TRUE;
    latency_trace::mark("end-paint");
    std::vector<codec::Rect> rects;
    rects.reserve(static_cast<std::size_t>(hwnd->ninvalid));
    for (INT32 i = 0; i < hwnd->ninvalid; ++i) {
      const GDI_RGN& r = hwnd->cinvalid[i];
      rects.push_back({r.x, r.y, r.w, r.h});
    }
    hwnd->invalid->null = TRUE;
    hwnd->ninvalid = 0;
    self->session().frame().paint(gdi->primary_buffer, static_cast<int>(gdi->stride),
                                  static_cast<int>(gdi->width), static_cast<int>(gdi->height),
                                  rects);
    latency_trace::mark("painted");
    return TRUE;
  });
}

BOOL on_desktop_resize(rdpContext* context) noexcept {
  auto* self = back_client_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    const auto w = freerdp_settings_get_uint32(context->settings, FreeRDP_DesktopWidth);
    const auto h = freerdp_settings_get_uint32(context->settings, FreeRDP_DesktopHeight);
    if (!gdi_resize(context->gdi, w, h)) return FALSE;
    log::info("target desktop is now {}x{}", w, h);
    self->session().frame().resize(static_cast<int>(w), static_cast<int>(h));
    return TRUE;
  });
}

// --- the target's mouse pointer ---

BOOL on_pointer_new(rdpContext* context, rdpPointer* pointer) noexcept {
  auto* self = back_client_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    if (pointer->width == 0 || pointer->height == 0 || pointer->width > 384 ||
        pointer->height > 384)
      return TRUE;  // nothing drawable; the target keeps running
    auto image = std::make_shared<codec::CursorImage>();
    image->width = static_cast<int>(pointer->width);
    image->height = static_cast<int>(pointer->height);
    image->hotspot_x = static_cast<int>(pointer->xPos);
    image->hotspot_y = static_cast<int>(pointer->yPos);
    image->bgra.resize(static_cast<std::size_t>(image->width) *
                       static_cast<std::size_t>(image->height) * 4);
    if (!freerdp_image_copy_from_pointer_data(
            image->bgra.data(), PIXEL_FORMAT_BGRA32, pointer->width * 4, 0, 0, pointer->width,
            pointer->height, pointer->xorMaskData, pointer->lengthXorMask, pointer->andMaskData,
            pointer->lengthAndMask, pointer->xorBpp,
            context->gdi ? &context->gdi->palette : nullptr))
      return TRUE;
    self->remember_pointer(pointer, std::move(image));
    return TRUE;
  });
}

void on_pointer_free(rdpContext* context, rdpPointer* pointer) noexcept {
  auto* self = back_client_of(context);
  guarded<int>(self, 0, [&]() -> int {
    self->forget_pointer(pointer);
    return 0;
  });
}

BOOL on_pointer_set(rdpContext* context, const rdpPointer* pointer) noexcept {
  auto* self = back_client_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    auto image = self->find_pointer(pointer);
    if (!image) return TRUE;
    auto& sinks = self->session().sinks();
    sinks.frames.on_cursor_shape(*image, self->session().clock().now());
    sinks.frames.on_cursor_visible(true, self->session().clock().now());
    self->session().pointer().post({PointerMailbox::Kind::shape, std::move(image)});
    self->session().wake();
    return TRUE;
  });
}

BOOL on_pointer_set_null(rdpContext* context) noexcept {
  auto* self = back_client_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->session().sinks().frames.on_cursor_visible(false, self->session().clock().now());
    self->session().pointer().post({PointerMailbox::Kind::hidden, nullptr});
    self->session().wake();
    return TRUE;
  });
}

BOOL on_pointer_set_default(rdpContext* context) noexcept {
  auto* self = back_client_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->session().sinks().frames.on_cursor_visible(true, self->session().clock().now());
    self->session().pointer().post({PointerMailbox::Kind::system_default, nullptr});
    self->session().wake();
    return TRUE;
  });
}

BOOL on_pointer_set_position(rdpContext* context, UINT32 x, UINT32 y) noexcept {
  auto* self = back_client_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->session().sinks().frames.on_cursor_position(static_cast<int>(x), static_cast<int>(y),
                                                      self->session().clock().now());
    return TRUE;
  });
}

void register_pointer(rdpContext* context) {
  rdpPointer pointer{};
  pointer.size = sizeof(rdpPointer);
  pointer.New = on_pointer_new;
  pointer.Free = on_pointer_free;
  pointer.Set = on_pointer_set;
  pointer.SetNull = on_pointer_set_null;
  pointer.SetDefault = on_pointer_set_default;
  pointer.SetPosition = on_pointer_set_position;
  graphics_register_pointer(context->graphics, &pointer);
}

// --- channels and connection events ---

void on_channel_connected(void* ctx, ChannelConnectedEventArgs* e) noexcept {
  auto* context = static_cast<rdpContext*>(ctx);
  auto* self = back_client_of(context);
  guarded<int>(self, 0, [&]() -> int {
    if (std::strcmp(e->name, RDPGFX_DVC_CHANNEL_NAME) == 0) {
      gdi_graphics_pipeline_init(context->gdi, static_cast<RdpgfxClientContext*>(e->pInterface));
    } else if (std::strcmp(e->name, DISP_DVC_CHANNEL_NAME) == 0) {
      self->on_disp_channel(static_cast<DispClientContext*>(e->pInterface));
    }
    return 0;
  });
}

void on_channel_disconnected(void* ctx, ChannelDisconnectedEventArgs* e) noexcept {
  auto* context = static_cast<rdpContext*>(ctx);
  auto* self = back_client_of(context);
  guarded<int>(self, 0, [&]() -> int {
    if (std::strcmp(e->name, RDPGFX_DVC_CHANNEL_NAME) == 0) {
      gdi_graphics_pipeline_uninit(context->gdi, static_cast<RdpgfxClientContext*>(e->pInterface));
    } else if (std::strcmp(e->name, DISP_DVC_CHANNEL_NAME) == 0) {
      self->on_disp_channel(nullptr);
    }
    return 0;
  });
}

void on_error_info(void* ctx, ErrorInfoEventArgs* e) noexcept {
  auto* self = back_client_of(static_cast<rdpContext*>(ctx));
  if (self && e) self->session().set_target_error_info(e->code);
}

void on_activated(void* ctx, ActivatedEventArgs*) noexcept {
  auto* self = back_client_of(static_cast<rdpContext*>(ctx));
  guarded<int>(self, 0, [&]() -> int {
    self->on_activated();
    return 0;
  });
}

BOOL on_pre_connect(freerdp* instance) noexcept {
  auto* self = back_client_of(instance->context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    wPubSub* pubsub = instance->context->pubSub;
    PubSub_SubscribeChannelConnected(pubsub, on_channel_connected);
    PubSub_SubscribeChannelDisconnected(pubsub, on_channel_disconnected);
    PubSub_SubscribeErrorInfo(pubsub, on_error_info);
    PubSub_SubscribeActivated(pubsub, on_activated);
    return freerdp_client_load_addins(instance->context->channels, instance->settings);
  });
}

BOOL on_post_connect(freerdp* instance) noexcept {
  auto* self = back_client_of(instance->context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    if (!gdi_init(instance, PIXEL_FORMAT_BGRX32)) return FALSE;
    register_pointer(instance->context);
    instance->update->BeginPaint = on_begin_paint;
    instance->update->EndPaint = on_end_paint;
    instance->update->DesktopResize = on_desktop_resize;
    self->on_connected_paint_ready();
    return TRUE;
  });
}

void on_post_disconnect(freerdp* instance) noexcept {
  gdi_free(instance);
}

int on_verify_certificate(freerdp* instance, const BYTE* data, size_t length, const char*, UINT16,
                          DWORD) noexcept {
  auto* self = back_client_of(instance->context);
  return guarded<int>(self, 0, [&]() -> int {
    const auto fingerprint = certificate_fingerprint({reinterpret_cast<const char*>(data), length});
    if (!fingerprint) {
      self->on_certificate_rejected();
      return 0;
    }
    const auto& pin = self->grant().pinned_fingerprint;
    if (pin.empty()) {
      log::info("target {} presented certificate {} (not pinned; recording it)",
                self->grant().target, *fingerprint);
      self->broker().target_fingerprint(*fingerprint);
      return 2;  // accept for this connection only: never FreeRDP's known_hosts store
    }
    if (same_fingerprint(pin, *fingerprint)) return 2;
    log::warn("target {} presented certificate {}, pinned is {}: refusing", self->grant().target,
              *fingerprint, pin);
    self->on_certificate_rejected();
    return 0;
  });
}

int on_logon_error_info(freerdp*, UINT32 data, UINT32 type) noexcept {
  try {
    log::debug("target logon info: type {:#x} data {:#x}", type, data);
  } catch (...) {
  }
  return 1;
}

BOOL on_client_new(freerdp* instance, rdpContext*) noexcept {
  instance->PreConnect = on_pre_connect;
  instance->PostConnect = on_post_connect;
  instance->PostDisconnect = on_post_disconnect;
  instance->VerifyX509Certificate = on_verify_certificate;
  instance->LogonErrorInfo = on_logon_error_info;
  return TRUE;
}

}  // namespace

BackClient* back_client_of(rdpContext* context) noexcept {
  return context ? reinterpret_cast<BackContext*>(context)->self : nullptr;
}

RDP_CLIENT_ENTRY_POINTS back_entry_points() {
  RDP_CLIENT_ENTRY_POINTS ep{};
  ep.Version = RDP_CLIENT_INTERFACE_VERSION;
  ep.Size = sizeof(RDP_CLIENT_ENTRY_POINTS_V1);
  ep.ContextSize = sizeof(BackContext);
  ep.ClientNew = on_client_new;
  return ep;
}

}  // namespace rdpwarden::server::rdp
