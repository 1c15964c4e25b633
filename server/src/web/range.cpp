#include "web/range.hpp"
#include <charconv>
#include <optional>

namespace rdpwarden::server::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

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

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
  RangeRequest none;
  header = trim(header);
  auto eq = header.find('=');
  if (eq == std::string_view::npos || !ieq(trim(header.substr(0, eq)), "bytes")) return none;
  auto spec = trim(header.substr(eq + 1));
  if (spec.find(',') != std::string_view::npos) return none;  // multiple ranges: ignored
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return none;
  auto first_text = trim(spec.substr(0, dash));
  auto last_text = trim(spec.substr(dash + 1));

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
