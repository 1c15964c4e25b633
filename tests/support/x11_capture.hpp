#pragma once
// Screenshots of an X display as an Image, without ImageMagick: `xwd -root` writes the root
// window in the X Window Dump format, parsed here (TrueColor visuals of 15 to 32 bits per pixel,
// either byte order — what Xvfb and Xorg produce).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "support/image.hpp"

namespace rdpwarden::test {

// Parses an XWD file (ZPixmap, TrueColor/DirectColor). Throws std::invalid_argument on anything
// malformed, truncated or unsupported; never reads outside `data`.
Image parse_xwd(std::span<const std::uint8_t> data);

// The whole root window of `display` (":N"), as RGB. Takes ~50 ms for 1280x800. `xauthority`
// names the cookie file of a server that requires one (xrdp sessions: ~user/.Xauthority).
// Throws FixtureError with xwd's message when the display cannot be read.
Image capture_display(const std::string& display,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(20000),
                      const std::filesystem::path& xauthority = {});

}  // namespace rdpwarden::test
