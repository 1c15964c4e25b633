#pragma once
// Request-target parsing for the console. Everything here treats its input as hostile: a
// malformed target is reported, never repaired, so "/a/%2e%2e/b" can never become "/b".

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdpwarden::server::web {

struct ParsedTarget {
  std::vector<std::string> segments;  // percent-decoded; "/" has none
  std::string query;                  // raw, without '?'
};

// nullopt when the target is not an origin-form path ("/..."), has a bad %-escape, an empty
// segment ("//"), a "." or ".." segment (also when %-encoded), or a decoded '/', '\', NUL or
// other control character inside a segment.
std::optional<ParsedTarget> parse_target(std::string_view target);

// Decodes %XX (and '+' as space when `plus_as_space`); nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

// application/x-www-form-urlencoded pairs; the first occurrence of a key wins. nullopt when a
// key or value has a bad escape or a control character.
std::optional<std::map<std::string, std::string>> parse_query(std::string_view query);

// Percent-encodes everything but unreserved characters (for building URLs in JSON answers).
std::string percent_encode(std::string_view text);

}  // namespace rdpwarden::server::web
