#include "web/range.hpp"
#include <charconv>
#include <optional>

#include "web/http_text.hpp"

namespace rdpwarden::server::web {
namespace {

// Digits only (no sign, no spaces inside); nullopt on overflow.
std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
  RangeRequest none;
  header = trim_ows(header);
  auto eq = header.find('=');
  if (eq == std::string_view::npos || !iequals_ascii(trim_ows(header.substr(0, eq)), "bytes"))
    return none;
  auto spec = trim_ows(header.substr(eq + 1));
  if (spec.find(',') != std::string_view::npos) return none;  // multiple ranges: ignored
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return none;
  auto first_text = trim_ows(spec.substr(0, dash));
  auto last_text = trim_ows(spec.substr(dash + 1));

  RangeRequest out;
  if (first_text.empty()) {  // suffix range: the last N bytes
    auto n = number(last_text);
    if (!n) return none;
    if (*n == 0 || size == 0) return {RangeKind::unsatisfiable, {}};
    out.range.first = *n >= size ? 0 : size - *n;
    out.range.last = size - 1;
    out.kind = RangeKind::satisfiable;
    return out;
  }
  auto first = number(first_text);
  if (!first) return none;
  std::optional<std::uint64_t> last;
  if (!last_text.empty()) {
    last = number(last_text);
    if (!last || *last < *first) return none;
  }
  if (*first >= size) return {RangeKind::unsatisfiable, {}};
  out.range.first = *first;
  out.range.last = (!last || *last >= size) ? size - 1 : *last;
  out.kind = RangeKind::satisfiable;
  return out;
}

}  // namespace rdpwarden::server::web
