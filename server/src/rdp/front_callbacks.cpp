#include "rdp/front_callbacks.hpp"
#include <cstring>
#include <span>

#include <winpr/sspi.h>

#include "rdp/front_peer.hpp"
#include "rdp/utf16.hpp"

namespace rdpwarden::server::rdp {
namespace {

template <typename R, typename F>
R guarded(FrontPeer* self, R on_error, F&& f) noexcept {
  try {
    if (!self) return on_error;
    return f();
  } catch (const std::exception& e) {
    self->session().end(SessionEnd::gateway_error, e.what());
  } catch (...) {
    self->session().end(SessionEnd::gateway_error, "unknown exception in a client callback");
  }
  return on_error;
}

std::optional<std::string> utf8_of(const UINT16* text, UINT32 length) {
  if (!text || length == 0) return std::string{};
  return utf16_to_utf8({reinterpret_cast<const char16_t*>(text), length});
}

std::optional<Login> login_of(const SEC_WINNT_AUTH_IDENTITY* id) {
  if (!id) return std::nullopt;
  auto user = utf8_of(id->User, id->UserLength);
  auto domain = utf8_of(id->Domain, id->DomainLength);
  if (!user || !domain) return std::nullopt;
  return Login{std::move(*user), std::move(*domain)};
}

// FreeRDP copies the CredSSP identity into peer->identity and never frees or wipes it.
void wipe_identity(SEC_WINNT_AUTH_IDENTITY* id) {
  if (!id) return;
  if (id->Password) wipe(id->Password, static_cast<std::size_t>(id->PasswordLength) * 2);
  free(id->User);
  free(id->Domain);
  free(id->Password);
  std::memset(id, 0, sizeof(*id));
}

FrontPeer* self_of(freerdp_peer* peer) {
  return peer ? front_peer_of(peer->context) : nullptr;
}
FrontPeer* self_of(rdpInput* input) {
  return input ? front_peer_of(input->context) : nullptr;
}

SECURITY_STATUS on_compute_ntlm_hash(void* client, const SEC_WINNT_AUTH_IDENTITY* id,
                                     const SecBuffer*, const BYTE*, const BYTE*, const SecBuffer*,
                                     BYTE* hash) noexcept {
  auto* self = self_of(static_cast<freerdp_peer*>(client));
  // Non-zero means success here (FreeRDP tests `ret ? TRUE : FALSE`), unlike SEC_E_OK.
  return guarded<SECURITY_STATUS>(self, 0, [&]() -> SECURITY_STATUS {
    auto login = login_of(id);
    if (!login) login = Login{"\x01invalid", ""};  // answered like an unknown user
    auto key = self->on_ntlm_key(*login);
    if (!key) return 0;
    std::memcpy(hash, key->data(), key->size());
    wipe(key->data(), key->size());
    return 1;
  });
}

BOOL on_logon(freerdp_peer* peer, SEC_WINNT_AUTH_IDENTITY* id, BOOL automatic) noexcept {
  auto* self = self_of(peer);
  const BOOL ok = guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    if (automatic) {
      if (auto login = login_of(id)) self->on_logon(*login, true);
    }
    return TRUE;
  });
  wipe_identity(id);
  return ok;
}

BOOL on_capabilities(freerdp_peer* peer) noexcept {
  auto* self = self_of(peer);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL { return self->on_capabilities(); });
}

BOOL on_post_connect(freerdp_peer* peer) noexcept {
  auto* self = self_of(peer);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL { return self->on_post_connect(); });
}

BOOL on_activate(freerdp_peer* peer) noexcept {
  auto* self = self_of(peer);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL { return self->on_activate(); });
}

BOOL on_synchronize(rdpInput* input, UINT32 flags) noexcept {
  auto* self = self_of(input);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->on_synchronize(flags);
    return TRUE;
  });
}

BOOL on_keyboard(rdpInput* input, UINT16 flags, UINT16 code) noexcept {
  auto* self = self_of(input);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->on_keyboard(flags, code);
    return TRUE;
  });
}

BOOL on_unicode(rdpInput* input, UINT16 flags, UINT16 code) noexcept {
  auto* self = self_of(input);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->on_unicode(flags, code);
    return TRUE;
  });
}

BOOL on_mouse(rdpInput* input, UINT16 flags, UINT16 x, UINT16 y) noexcept {
  auto* self = self_of(input);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->on_mouse(flags, x, y, false);
    return TRUE;
  });
}

BOOL on_extended_mouse(rdpInput* input, UINT16 flags, UINT16 x, UINT16 y) noexcept {
  auto* self = self_of(input);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->on_mouse(flags, x, y, true);
    return TRUE;
  });
}

BOOL on_refresh_rect(rdpContext* context, BYTE, const RECTANGLE_16*) noexcept {
  auto* self = front_peer_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->on_refresh();
    return TRUE;
  });
}

BOOL on_suppress_output(rdpContext* context, BYTE allow, const RECTANGLE_16*) noexcept {
  auto* self = front_peer_of(context);
  return guarded<BOOL>(self, FALSE, [&]() -> BOOL {
    self->on_suppress_output(allow != 0);
    return TRUE;
  });
}

}  // namespace

FrontPeer* front_peer_of(rdpContext* context) noexcept {
  return context ? reinterpret_cast<FrontContext*>(context)->self : nullptr;
}

void install_front_callbacks(freerdp_peer* peer) {
  peer->ComputeNtlmHash = on_compute_ntlm_hash;
  peer->Logon = on_logon;
  peer->Capabilities = on_capabilities;
  peer->PostConnect = on_post_connect;
  peer->Activate = on_activate;
  peer->input->SynchronizeEvent = on_synchronize;
  peer->input->KeyboardEvent = on_keyboard;
  peer->input->UnicodeKeyboardEvent = on_unicode;
  peer->input->MouseEvent = on_mouse;
  peer->input->ExtendedMouseEvent = on_extended_mouse;
  peer->update->RefreshRect = on_refresh_rect;
  peer->update->SuppressOutput = on_suppress_output;
}

}  // namespace rdpwarden::server::rdp
