#pragma once
// The target's pointer toward the admin's client: new shapes go into the client's pointer
// cache, shapes seen before are re-selected by cache index.
//
// Threads: the front's peer thread only.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <freerdp/peer.h>

#include "rdp/pointer_mailbox.hpp"

namespace rdpwarden::server::rdp {

class UserPointer {
 public:
  explicit UserPointer(freerdp_peer* peer) : peer_(peer) {}
  // Sends `pointer`; false when writing to the client failed.
  bool send(const PointerMailbox::Pointer& pointer);
  // The client's cache is gone (reactivation): start over.
  void forget_cache() { cache_.clear(); }

 private:
  struct Entry {
    std::size_t hash;
    std::uint32_t index;
  };
  bool send_shape(const codec::CursorImage& image);

  freerdp_peer* peer_;
  std::vector<Entry> cache_;  // most recently used last
};

}  // namespace rdpwarden::server::rdp
