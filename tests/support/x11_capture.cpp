#include "support/x11_capture.hpp"
#include <array>
#include <bit>
#include <stdexcept>

#include "support/fixture_error.hpp"
#include "support/process.hpp"

namespace rdpwarden::test {
namespace {

constexpr std::size_t kHeaderWords = 25;
constexpr std::size_t kColorSize = 12;  // XWDColor: pixel, r, g, b (CARD32, 3 x CARD16), flags, pad

enum Field : std::size_t {
  kHeaderSize = 0,
  kFileVersion = 1,
  kPixmapFormat = 2,
  kWidth = 4,
  kHeight = 5,
  kByteOrder = 7,
  kBitsPerPixel = 11,
  kBytesPerLine = 12,
  kVisualClass = 13,
  kRedMask = 14,
  kGreenMask = 15,
  kBlueMask = 16,
  kColorCount = 19,
};

std::uint32_t read_be32(std::span<const std::uint8_t> d, std::size_t at) {
  return std::uint32_t(d[at]) << 24 | std::uint32_t(d[at + 1]) << 16 |
         std::uint32_t(d[at + 2]) << 8 | std::uint32_t(d[at + 3]);
}

// One channel of a TrueColor pixel scaled to 0..255, whatever the mask's width.
std::uint8_t channel(std::uint32_t pixel, std::uint32_t mask) {
  if (mask == 0) return 0;
  int shift = std::countr_zero(mask);
  std::uint32_t max = mask >> shift;
  std::uint32_t value = (pixel & mask) >> shift;
  return static_cast<std::uint8_t>((value * 255 + max / 2) / max);
}

std::uint32_t read_pixel(const std::uint8_t* p, std::uint32_t bytes, bool msb_first) {
  std::uint32_t v = 0;
  for (std::uint32_t i = 0; i < bytes; ++i) {
    std::uint32_t byte = p[msb_first ? i : bytes - 1 - i];
    v = v << 8 | byte;
  }
  return v;
}

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("XWD: ") + what);
}

}  // namespace

Image parse_xwd(std::span<const std::uint8_t> data) {
  require(data.size() >= kHeaderWords * 4, "shorter than its header");
  std::array<std::uint32_t, kHeaderWords> h{};
  for (std::size_t i = 0; i < kHeaderWords; ++i)
    h[i] = read_be32(data, i * 4);
  require(h[kFileVersion] == 7, "not version 7");
  require(h[kPixmapFormat] == 2, "not a ZPixmap");
  require(h[kVisualClass] == 4 || h[kVisualClass] == 5, "not a TrueColor/DirectColor visual");
  std::uint32_t bpp = h[kBitsPerPixel];
  require(bpp == 16 || bpp == 24 || bpp == 32, "unsupported bits per pixel");
  std::uint32_t width = h[kWidth], height = h[kHeight], line = h[kBytesPerLine];
  require(width > 0 && height > 0 && width <= 32768 && height <= 32768, "bad dimensions");
  std::uint64_t bytes_pp = bpp / 8;
  require(std::uint64_t(line) >= width * bytes_pp, "rows shorter than the width");
  require(h[kHeaderSize] >= kHeaderWords * 4 && h[kColorCount] <= 65536, "bad header size");
  std::uint64_t pixels_at =
      std::uint64_t(h[kHeaderSize]) + std::uint64_t(h[kColorCount]) * kColorSize;
  require(pixels_at + std::uint64_t(line) * height <= data.size(), "truncated pixel data");

  bool msb_first = h[kByteOrder] == 1;
  Image out(static_cast<int>(width), static_cast<int>(height), PixelFormat::kRgb24);
  std::uint8_t* dst = out.bytes().data();
  // Xvfb's and Xorg's 24-bit visual: little-endian 0x00RRGGBB words, i.e. B, G, R, X bytes.
  bool common = bytes_pp == 4 && !msb_first && h[kRedMask] == 0xff0000 && h[kGreenMask] == 0xff00 &&
                h[kBlueMask] == 0xff;
  for (std::uint32_t y = 0; common && y < height; ++y) {
    const std::uint8_t* px = data.data() + pixels_at + std::uint64_t(y) * line;
    for (std::uint32_t x = 0; x < width; ++x, px += 4) {
      *dst++ = px[2];
      *dst++ = px[1];
      *dst++ = px[0];
    }
  }
  for (std::uint32_t y = 0; !common && y < height; ++y) {
    const std::uint8_t* row = data.data() + pixels_at + std::uint64_t(y) * line;
    for (std::uint32_t x = 0; x < width; ++x) {
      std::uint32_t px =
          read_pixel(row + x * bytes_pp, static_cast<std::uint32_t>(bytes_pp), msb_first);
      *dst++ = channel(px, h[kRedMask]);
      *dst++ = channel(px, h[kGreenMask]);
      *dst++ = channel(px, h[kBlueMask]);
    }
  }
  return out;
}

Image capture_display(const std::string& display, std::chrono::milliseconds timeout,
                      const std::filesystem::path& xauthority) {
  RunOptions options;
  options.timeout = timeout;
  if (!xauthority.empty()) options.env["XAUTHORITY"] = xauthority.string();
  RunResult r = run({"xwd", "-root", "-silent", "-display", display}, options);
  if (r.exit_code != 0)
    throw FixtureError("xwd -display " + display + " failed (exit " + std::to_string(r.exit_code) +
                       "): " + r.err);
  const auto* begin = static_cast<const std::uint8_t*>(static_cast<const void*>(r.out.data()));
  try {
    return parse_xwd({begin, r.out.size()});
  } catch (const std::invalid_argument& e) {
    throw FixtureError("screenshot of " + display + ": " + e.what());
  }
}

}  // namespace rdpwarden::test
