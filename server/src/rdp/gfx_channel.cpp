#include "rdp/gfx_channel.hpp"
#include <vector>

#include "rdp/gfx_caps.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

// MS-RDPEGFX 2.2.2.13: the client suspends acknowledgements; it then never sends more.
constexpr std::uint32_t kSuspendFrameAcknowledgement = 0xFFFFFFFF;

GfxChannel* self_of(RdpgfxServerContext* context) {
  return context ? static_cast<GfxChannel*>(context->custom) : nullptr;
}

}  // namespace

GfxChannel::GfxChannel(rdpContext* peer_context, void* vcm, std::function<void()> wake)
    : gfx_(make_gfx_server(vcm)), wake_(std::move(wake)) {
  gfx_->rdpcontext = peer_context;
  gfx_->custom = this;
  gfx_->CapsAdvertise = on_caps_advertise;
  gfx_->FrameAcknowledge = on_frame_acknowledge;
  gfx_->QoeFrameAcknowledge = on_qoe_frame_acknowledge;
}

GfxChannel::~GfxChannel() {
  if (state_ != State::closed && gfx_) gfx_->Close(gfx_.get());
}

bool GfxChannel::open() {
  if (state_ != State::closed) return false;
  if (!gfx_->Open(gfx_.get())) {
    state_ = State::failed;
    return false;
  }
  state_ = State::opening;
  return true;
}

std::uint32_t GfxChannel::in_flight() const {
  if (acks_suspended_) return 0;
  return last_sent_.load() - last_acked_.load();
}

UINT GfxChannel::on_caps_advertise(RdpgfxServerContext* context,
                                   const RDPGFX_CAPS_ADVERTISE_PDU* pdu) noexcept {
  auto* self = self_of(context);
  if (!self || !pdu) return ERROR_INTERNAL_ERROR;
  try {
    std::vector<GfxCapsOffer> offers;
    for (UINT16 i = 0; i < pdu->capsSetCount; ++i)
      offers.push_back({pdu->capsSets[i].version, pdu->capsSets[i].flags});
    auto choice = choose_gfx_caps(offers);
    if (!choice) {
      log::info("the client offered no graphics pipeline version we speak; using bitmaps");
      self->state_ = State::failed;
      self->wake_();
      return CHANNEL_RC_UNSUPPORTED_VERSION;
    }
    RDPGFX_CAPSET caps{};
    for (UINT16 i = 0; i < pdu->capsSetCount; ++i) {
      if (pdu->capsSets[i].version == choice->confirm.version) caps = pdu->capsSets[i];
    }
    RDPGFX_CAPS_CONFIRM_PDU confirm{};
    confirm.capsSet = &caps;
    const UINT rc = context->CapsConfirm(context, &confirm);
    self->avc420_ = choice->avc420;
    self->state_ = rc == CHANNEL_RC_OK ? State::ready : State::failed;
    log::debug("graphics pipeline caps {:#010x} flags {:#x}, avc420={}", caps.version, caps.flags,
               choice->avc420);
    self->wake_();
    return rc;
  } catch (...) {
    self->state_ = State::failed;
    return ERROR_INTERNAL_ERROR;
  }
}

UINT GfxChannel::on_frame_acknowledge(RdpgfxServerContext* context,
                                      const RDPGFX_FRAME_ACKNOWLEDGE_PDU* pdu) noexcept {
  auto* self = self_of(context);
  if (!self || !pdu) return ERROR_INTERNAL_ERROR;
  if (pdu->queueDepth == kSuspendFrameAcknowledgement) {
    self->acks_suspended_ = true;
  } else {
    self->acks_suspended_ = false;
    // The client acknowledges in order; an id from the future (hostile) is clamped.
    const std::uint32_t sent = self->last_sent_.load();
    const std::uint32_t acked = self->last_acked_.load();
    if (pdu->frameId - acked <= sent - acked) self->last_acked_ = pdu->frameId;
  }
  try {
    self->wake_();
  } catch (...) {
  }
  return CHANNEL_RC_OK;
}

UINT GfxChannel::on_qoe_frame_acknowledge(RdpgfxServerContext*,
                                          const RDPGFX_QOE_FRAME_ACKNOWLEDGE_PDU*) noexcept {
  return CHANNEL_RC_OK;
}

}  // namespace rdpwarden::server::rdp
