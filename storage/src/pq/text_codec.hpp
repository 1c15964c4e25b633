#pragma once
// The text forms PostgreSQL uses on the wire for the types storage reads and writes. Every
// connection runs with TimeZone UTC and DateStyle ISO, so timestamps are always
// "YYYY-MM-DD HH:MM:SS[.ffffff]+00".

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage::pq {

std::string format_timestamp(TimePoint time);
std::optional<TimePoint> parse_timestamp(std::string_view text);

// '{"a","b\"c"}': every element quoted, so any text is safe.
std::string format_text_array(const std::vector<std::string>& elements);
// The server's array output (elements quoted only when needed; NULL elements are skipped).
std::optional<std::vector<std::string>> parse_text_array(std::string_view text);

// bytea in hex output form ("\x0a1b…").
std::optional<std::vector<std::byte>> decode_bytea(std::string_view text);

}  // namespace rdpwarden::storage::pq
