#pragma once
// gzip for responses that are large and compress well: a seek fragment's first picture is raw
// (I_PCM) screen content, ~3 MB at 1080p and mostly runs, which level 1 shrinks ~10-30x for a
// few ms of CPU — a win on loopback under load and decisive over a real network. Nothing secret
// is reflected into these bodies, so compression under TLS leaks nothing (BREACH needs a secret
// and attacker-chosen text in one compressed body).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rdpwarden::server::web {

// Whether an Accept-Encoding header value allows gzip (a "gzip" or "*" token whose q is not 0).
bool accepts_gzip(std::string_view accept_encoding);

// The gzip stream (RFC 1952) of `bytes`; throws std::runtime_error when zlib fails.
std::string gzip(std::span<const std::uint8_t> bytes, int level = 1);

}  // namespace rdpwarden::server::web
