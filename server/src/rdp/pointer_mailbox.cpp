#include "rdp/pointer_mailbox.hpp"

namespace rdpwarden::server::rdp {

void PointerMailbox::post(Pointer pointer) {
  std::lock_guard lock(mutex_);
  current_ = std::move(pointer);
  ++serial_;
}

std::optional<PointerMailbox::Pointer> PointerMailbox::take_newer(std::uint64_t& seen) const {
  std::lock_guard lock(mutex_);
  if (serial_ == seen) return std::nullopt;
  seen = serial_;
  return current_;
}

void PointerMailbox::repost() {
  std::lock_guard lock(mutex_);
  ++serial_;
}

}  // namespace rdpwarden::server::rdp
