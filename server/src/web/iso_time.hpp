#pragma once
// ISO 8601 timestamps as the API speaks them: UTC with milliseconds out
// ("2026-11-21T12:00:00.000Z"); in, a date ("2026-11-21") or a date-time with a zone
// ("2026-11-21T12:00", "…:00Z", "…:00.5+01:00"; no zone means UTC), years 1970 to 2200.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rdpwarden::server::web {

std::string format_iso(std::chrono::system_clock::time_point t);

struct IsoParse {
  std::chrono::system_clock::time_point time;
  bool date_only = false;  // "2026-11-21": callers treat an upper bound as the end of that day
};
std::optional<IsoParse> parse_iso(std::string_view text);

}  // namespace rdpwarden::server::web
