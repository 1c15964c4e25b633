#pragma once
// The live view of a session: the recorder's per-frame fMP4 fragments sent to the supervisor as
// media frames (control_protocol.hpp), which fans them out to watching auditors. Attached to
// the recorder while someone watches.
//
// Threads: called on the recorder's thread; sending only takes the control link's write lock.

#include <rdpwarden/codec/live_subscriber.hpp>

#include "rdp/control_link.hpp"

namespace rdpwarden::server::rdp {

class LiveForwarder final : public codec::LiveSubscriber {
 public:
  explicit LiveForwarder(ControlLink& link) : link_(link) {}
  void on_live_init(std::span<const std::byte> init, std::string_view codec, int width,
                    int height) override;
  void on_live_fragment(std::span<const std::byte> fragment, codec::SessionTime pts,
                        bool keyframe) override;

 private:
  ControlLink& link_;
};

}  // namespace rdpwarden::server::rdp
