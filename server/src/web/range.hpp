#pragma once
// HTTP Range (RFC 9110 §14) for the media routes. One range per request is what the player and
// download managers use; anything we do not honour is ignored (the whole representation is
// sent), which the RFC allows.

#include <cstdint>
#include <string_view>

namespace rdpwarden::server::web {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t length() const { return last - first + 1; }
};

enum class RangeKind {
  none,           // no usable Range: answer 200 with everything
  satisfiable,    // answer 206 with `range`
  unsatisfiable,  // answer 416 with Content-Range: bytes */size
};

struct RangeRequest {
  RangeKind kind = RangeKind::none;
  ByteRange range;
};

// `header` is the Range field value; `size` the representation's length.
RangeRequest parse_range(std::string_view header, std::uint64_t size);

}  // namespace rdpwarden::server::web
