#pragma once
// FreeRDP's server-peer callbacks for the front side, as noexcept trampolines into FrontPeer.

#include <freerdp/peer.h>

namespace rdpwarden::server::rdp {

class FrontPeer;

// The peer context: FreeRDP's rdpContext first, then our one pointer.
struct FrontContext {
  rdpContext context;
  FrontPeer* self;
};

FrontPeer* front_peer_of(rdpContext* context) noexcept;
// Installs the connection-sequence, input and client-request callbacks on a peer whose context
// exists.
void install_front_callbacks(freerdp_peer* peer);

}  // namespace rdpwarden::server::rdp
