#pragma once
// How the admin verbs read times and print results: ISO 8601 in and out (UTC unless an offset
// is given), a plain aligned table for people, JSON (--json) for scripts.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::server::cli {

// "2026-11-21", "2026-11-21T08:00", "2026-11-21 08:00:00Z", "2026-11-21T08:00:00.5+02:00".
std::optional<storage::TimePoint> parse_iso8601(std::string_view text);
// "2026-11-21T08:00:00Z"
std::string format_iso8601(storage::TimePoint time);
std::string format_iso8601(const std::optional<storage::TimePoint>& time);  // "" for none

// Left-aligned columns under an upper-case header, two spaces apart.
std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows);

}  // namespace rdpwarden::server::cli
