#pragma once
// The admin-side graphics pipeline channel (MS-RDPEGFX): opened once the client's dynamic
// channels are ready, capabilities confirmed, frame acknowledgements counted for flow control.
//
// Threads: open(), surface and frame PDUs come from the front's peer thread; FreeRDP calls
// caps_advertise and frame_acknowledge on the channel's own thread. PDUs written from either
// thread are queued by FreeRDP's channel manager and sent by the peer thread.

#include <atomic>
#include <cstdint>
#include <functional>

#include <freerdp/server/rdpgfx.h>

#include "rdp/freerdp_handles.hpp"

namespace rdpwarden::server::rdp {

class GfxChannel {
 public:
  enum class State { closed, opening, ready, failed };

  // `wake` nudges the peer thread after caps or an acknowledgement arrived.
  GfxChannel(rdpContext* peer_context, void* vcm, std::function<void()> wake);
  ~GfxChannel();
  GfxChannel(const GfxChannel&) = delete;
  GfxChannel& operator=(const GfxChannel&) = delete;

  bool open();
  State state() const { return state_.load(); }
  bool avc420() const { return avc420_.load(); }
  RdpgfxServerContext* context() { return gfx_.get(); }

  // Flow control: frames sent but not acknowledged by the client.
  std::uint32_t next_frame_id() { return ++last_sent_; }
  std::uint32_t in_flight() const;
  // The client's surface state was lost (reset): forget outstanding frames.
  void reset_flow() { last_acked_ = last_sent_.load(); }

 private:
  static UINT on_caps_advertise(RdpgfxServerContext* context,
                                const RDPGFX_CAPS_ADVERTISE_PDU* pdu) noexcept;
  static UINT on_frame_acknowledge(RdpgfxServerContext* context,
                                   const RDPGFX_FRAME_ACKNOWLEDGE_PDU* pdu) noexcept;
  static UINT on_qoe_frame_acknowledge(RdpgfxServerContext* context,
                                       const RDPGFX_QOE_FRAME_ACKNOWLEDGE_PDU* pdu) noexcept;

  GfxServerPtr gfx_;
  std::function<void()> wake_;
  std::atomic<State> state_{State::closed};
  std::atomic<bool> avc420_{false};
  std::atomic<std::uint32_t> last_sent_{0};
  std::atomic<std::uint32_t> last_acked_{0};
  std::atomic<bool> acks_suspended_{false};
};

}  // namespace rdpwarden::server::rdp
