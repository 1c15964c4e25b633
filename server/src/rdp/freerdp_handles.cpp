#include "rdp/freerdp_handles.hpp"

#include <freerdp/channels/wtsvc.h>
#include <freerdp/client.h>
#include <winpr/handle.h>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

namespace rdpwarden::server::rdp {

void PeerDeleter::operator()(freerdp_peer* peer) const noexcept {
  if (!peer) return;
  if (peer->context) freerdp_peer_context_free(peer);
  freerdp_peer_free(peer);
}

PeerPtr make_peer(int socket_fd) {
  PeerPtr peer{freerdp_peer_new(socket_fd)};
  if (!peer) throw FreeRdpError("freerdp_peer_new failed");
  return peer;
}

void ClientContextDeleter::operator()(rdpContext* context) const noexcept {
  if (context) freerdp_client_context_free(context);
}

ClientContextPtr make_client_context(const RDP_CLIENT_ENTRY_POINTS& entry_points) {
  // freerdp_client_context_new takes a non-const pointer but only reads the entry points.
  auto copy = entry_points;
  ClientContextPtr context{freerdp_client_context_new(&copy)};
  if (!context) throw FreeRdpError("freerdp_client_context_new failed");
  return context;
}

void WinprHandleDeleter::operator()(void* handle) const noexcept {
  if (handle) CloseHandle(handle);
}

EventPtr make_event() {
  EventPtr event{CreateEventA(nullptr, TRUE, FALSE, nullptr)};
  if (!event) throw FreeRdpError("CreateEvent failed");
  return event;
}

void VcmDeleter::operator()(void* vcm) const noexcept {
  if (vcm) WTSCloseServer(vcm);
}

VcmPtr make_vcm(rdpContext* peer_context) {
  VcmPtr vcm{WTSOpenServerA(reinterpret_cast<LPSTR>(peer_context))};
  if (!vcm || vcm.get() == INVALID_HANDLE_VALUE) {
    (void)vcm.release();
    throw FreeRdpError("WTSOpenServer failed");
  }
  return vcm;
}

void GfxServerDeleter::operator()(RdpgfxServerContext* gfx) const noexcept {
  if (gfx) rdpgfx_server_context_free(gfx);
}

GfxServerPtr make_gfx_server(void* vcm) {
  GfxServerPtr gfx{rdpgfx_server_context_new(vcm)};
  if (!gfx) throw FreeRdpError("rdpgfx_server_context_new failed");
  return gfx;
}

void DispServerDeleter::operator()(DispServerContext* disp) const noexcept {
  if (disp) disp_server_context_free(disp);
}

DispServerPtr make_disp_server(void* vcm) {
  DispServerPtr disp{disp_server_context_new(vcm)};
  if (!disp) throw FreeRdpError("disp_server_context_new failed");
  return disp;
}

void PlanarDeleter::operator()(BITMAP_PLANAR_CONTEXT* planar) const noexcept {
  if (planar) freerdp_bitmap_planar_context_free(planar);
}

PlanarPtr make_planar_encoder(int max_width, int max_height) {
  // RLE without alpha: the framebuffer is opaque BGRX.
  PlanarPtr planar{freerdp_bitmap_planar_context_new(
      PLANAR_FORMAT_HEADER_RLE | PLANAR_FORMAT_HEADER_NA, static_cast<UINT32>(max_width),
      static_cast<UINT32>(max_height))};
  if (!planar) throw FreeRdpError("freerdp_bitmap_planar_context_new failed");
  return planar;
}

void InterleavedDeleter::operator()(BITMAP_INTERLEAVED_CONTEXT* interleaved) const noexcept {
  if (interleaved) bitmap_interleaved_context_free(interleaved);
}

InterleavedPtr make_interleaved_encoder() {
  InterleavedPtr interleaved{bitmap_interleaved_context_new(TRUE)};
  if (!interleaved) throw FreeRdpError("bitmap_interleaved_context_new failed");
  return interleaved;
}

void H264Deleter::operator()(H264_CONTEXT* h264) const noexcept {
  if (h264) h264_context_free(h264);
}

H264Ptr make_h264_encoder(int width, int height) {
  H264Ptr h264{h264_context_new(TRUE)};
  if (!h264) throw FreeRdpError("h264_context_new failed");
  if (!h264_context_reset(h264.get(), static_cast<UINT32>(width), static_cast<UINT32>(height)))
    throw FreeRdpError("h264_context_reset failed");
  return h264;
}

}  // namespace rdpwarden::server::rdp
