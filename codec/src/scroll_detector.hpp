#pragma once
// Finds a vertical scroll (a terminal printing output, a page of text moving) between the
// encoder's previous picture and the new framebuffer content, from hashes of the rows of the
// changed area. x264 finds a motion vector only within its search range; a scroll of several
// text lines (tens to hundreds of pixels) is far outside the default one, so the text would
// be coded anew. Knowing the shift, the encoder widens its search for that frame only
// (H264Encoder), and the whole scrolled area becomes a few motion vectors.

#include <cstdint>
#include <optional>
#include <vector>

#include <rdpwarden/codec/geometry.hpp>

#include "av_handles.hpp"

namespace rdpwarden::codec {

// The shift within `area` (even-aligned, inside both pictures): a result dy means the new
// row y shows what the previous row y + dy showed (dy > 0: content moved up). `previous` is
// the I420 picture before the change (luma is compared), `bgrx` the new framebuffer
// (`width` pixels per row). nullopt when no single shift explains enough of the changed rows.
std::optional<int> detect_vertical_scroll(const AVFrame& previous,
                                          const std::vector<std::uint8_t>& bgrx, int width,
                                          const Rect& area);

}  // namespace rdpwarden::codec
