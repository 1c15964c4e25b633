#pragma once
// Small helpers for HTTP header text (RFC 9110), shared by the header parsers.

#include <cstddef>
#include <string_view>

namespace rdpwarden::server::web {

// `s` without leading and trailing optional whitespace (spaces and horizontal tabs).
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Case-insensitive comparison of ASCII tokens (header names, codings, units); other bytes
// must match exactly. Not locale-dependent.
inline bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace rdpwarden::server::web
