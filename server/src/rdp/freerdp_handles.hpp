#pragma once
// Every FreeRDP/WinPR handle the gateway holds, as a std::unique_ptr with its deleter. Factories
// throw FreeRdpError on null so a half-built session never runs.

#include <memory>
#include <stdexcept>

#include <freerdp/codec/h264.h>
#include <freerdp/codec/interleaved.h>
#include <freerdp/codec/planar.h>
#include <freerdp/freerdp.h>
#include <freerdp/peer.h>
#include <freerdp/server/disp.h>
#include <freerdp/server/rdpgfx.h>

namespace rdpwarden::server::rdp {

class FreeRdpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A server peer built from an accepted socket; frees its context (if any), then the peer.
struct PeerDeleter {
  void operator()(freerdp_peer* peer) const noexcept;
};
using PeerPtr = std::unique_ptr<freerdp_peer, PeerDeleter>;
PeerPtr make_peer(int socket_fd);

// A client context from freerdp_client_context_new.
struct ClientContextDeleter {
  void operator()(rdpContext* context) const noexcept;
};
using ClientContextPtr = std::unique_ptr<rdpContext, ClientContextDeleter>;
ClientContextPtr make_client_context(const RDP_CLIENT_ENTRY_POINTS& entry_points);

// A WinPR event (or any WinPR HANDLE closed with CloseHandle).
struct WinprHandleDeleter {
  void operator()(void* handle) const noexcept;
};
using EventPtr = std::unique_ptr<void, WinprHandleDeleter>;
// A manual-reset event, initially not set: whoever waits on it resets it (ResetEvent) once woken.
// WinPR 2 has no auto-reset events: CreateEvent(bManualReset = FALSE) gives one that stays set
// after the first SetEvent ("auto-reset events not yet implemented"), so a loop waiting on it
// spins at full speed from then on.
EventPtr make_event();

// The virtual channel manager of a peer (WTSOpenServerA / WTSCloseServer).
struct VcmDeleter {
  void operator()(void* vcm) const noexcept;
};
using VcmPtr = std::unique_ptr<void, VcmDeleter>;
VcmPtr make_vcm(rdpContext* peer_context);

struct GfxServerDeleter {
  void operator()(RdpgfxServerContext* gfx) const noexcept;
};
using GfxServerPtr = std::unique_ptr<RdpgfxServerContext, GfxServerDeleter>;
GfxServerPtr make_gfx_server(void* vcm);

struct DispServerDeleter {
  void operator()(DispServerContext* disp) const noexcept;
};
using DispServerPtr = std::unique_ptr<DispServerContext, DispServerDeleter>;
DispServerPtr make_disp_server(void* vcm);

struct PlanarDeleter {
  void operator()(BITMAP_PLANAR_CONTEXT* planar) const noexcept;
};
using PlanarPtr = std::unique_ptr<BITMAP_PLANAR_CONTEXT, PlanarDeleter>;
PlanarPtr make_planar_encoder(int max_width, int max_height);

struct InterleavedDeleter {
  void operator()(BITMAP_INTERLEAVED_CONTEXT* interleaved) const noexcept;
};
using InterleavedPtr = std::unique_ptr<BITMAP_INTERLEAVED_CONTEXT, InterleavedDeleter>;
InterleavedPtr make_interleaved_encoder();

struct H264Deleter {
  void operator()(H264_CONTEXT* h264) const noexcept;
};
using H264Ptr = std::unique_ptr<H264_CONTEXT, H264Deleter>;
H264Ptr make_h264_encoder(int width, int height);

}  // namespace rdpwarden::server::rdp
