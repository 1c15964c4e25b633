#pragma once
// The target's current mouse pointer, handed from the back client's thread to the front's
// thread (the only writer to the admin's client). Only the latest pointer matters: a shape that
// was replaced before the front saw it is never sent.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include <rdpwarden/codec/geometry.hpp>

namespace rdpwarden::server::rdp {

class PointerMailbox {
 public:
  enum class Kind { shape, hidden, system_default };
  struct Pointer {
    Kind kind = Kind::system_default;
    std::shared_ptr<const codec::CursorImage> image;  // set when kind == shape
  };

  void post(Pointer pointer);
  // The pointer posted since the caller last looked (tracked by `seen`), if any.
  std::optional<Pointer> take_newer(std::uint64_t& seen) const;
  // Makes the next take_newer() return the current pointer again (the client reconnected its
  // surface and lost its pointer state).
  void repost();

 private:
  mutable std::mutex mutex_;
  Pointer current_;
  std::uint64_t serial_ = 0;
};

}  // namespace rdpwarden::server::rdp
