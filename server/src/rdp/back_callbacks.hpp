#pragma once
// FreeRDP's client callbacks for the back side, as noexcept trampolines into BackClient.

#include <freerdp/client.h>

namespace rdpwarden::server::rdp {

class BackClient;

// The client context: FreeRDP's rdpClientContext first, then our one pointer.
struct BackContext {
  rdpClientContext common;
  BackClient* self;
};

RDP_CLIENT_ENTRY_POINTS back_entry_points();
BackClient* back_client_of(rdpContext* context) noexcept;

}  // namespace rdpwarden::server::rdp
