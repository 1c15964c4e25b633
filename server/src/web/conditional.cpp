#include "web/conditional.hpp"
#include <array>
#include <ctime>

#include <fmt/format.h>

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;
using std::chrono::system_clock;

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Does the If-Match / If-None-Match list contain `etag`? `weak` selects weak comparison
// (W/"x" equals "x"); strong comparison never matches a weak tag.
bool list_matches(std::string_view list, std::string_view etag, bool weak) {
  if (etag.empty()) return false;
  std::size_t i = 0;
  while (i < list.size()) {
    char c = list[i];
    if (c == ' ' || c == '\t' || c == ',') {
      ++i;
      continue;
    }
    if (c == '*') return true;
    bool is_weak = false;
    if (list.substr(i, 2) == "W/") {
      is_weak = true;
      i += 2;
    }
    if (i >= list.size() || list[i] != '"') return false;  // malformed: no match
    auto close = list.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    auto tag = list.substr(i, close - i + 1);
    if (tag == etag && (weak || !is_weak)) return true;
    i = close + 1;
  }
  return false;
}

std::optional<int> two_digits(std::string_view s) {
  if (s.size() != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return std::nullopt;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

system_clock::time_point seconds_floor(system_clock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

}  // namespace

std::string format_http_date(system_clock::time_point t) {
  std::time_t secs = system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<system_clock::time_point> parse_http_date(std::string_view s) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  std::tm tm{};
  auto day = two_digits(s.substr(5, 2));
  auto hour = two_digits(s.substr(17, 2));
  auto minute = two_digits(s.substr(20, 2));
  auto second = two_digits(s.substr(23, 2));
  auto y1 = two_digits(s.substr(12, 2));
  auto y2 = two_digits(s.substr(14, 2));
  if (!day || !hour || !minute || !second || !y1 || !y2) return std::nullopt;
  int month = -1;
  for (int m = 0; m < 12; ++m) {
    if (kMonths[static_cast<std::size_t>(m)] == s.substr(8, 3)) month = m;
  }
  if (month < 0 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60)
    return std::nullopt;
  tm.tm_year = *y1 * 100 + *y2 - 1900;
  tm.tm_mon = month;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return system_clock::from_time_t(t);
}

Precondition evaluate_preconditions(const http::fields& req, const Validators& v) {
  if (auto it = req.find(http::field::if_match); it != req.end()) {
    if (!list_matches(it->value(), v.etag, false)) return Precondition::precondition_failed;
  } else if (auto ius = req.find(http::field::if_unmodified_since);
             ius != req.end() && v.last_modified) {
    auto date = parse_http_date(ius->value());
    if (date && seconds_floor(*v.last_modified) > *date) return Precondition::precondition_failed;
  }
  if (auto it = req.find(http::field::if_none_match); it != req.end()) {
    if (list_matches(it->value(), v.etag, true)) return Precondition::not_modified;
  } else if (auto ims = req.find(http::field::if_modified_since);
             ims != req.end() && v.last_modified) {
    auto date = parse_http_date(ims->value());
    if (date && seconds_floor(*v.last_modified) <= *date) return Precondition::not_modified;
  }
  return Precondition::proceed;
}

bool if_range_allows(const http::fields& req, const Validators& v) {
  auto it = req.find(http::field::if_range);
  if (it == req.end()) return true;
  std::string_view value = it->value();
  if (!value.empty() && value.front() == '"') return !v.etag.empty() && value == v.etag;
  if (value.starts_with("W/")) return false;  // If-Range needs a strong validator
  auto date = parse_http_date(value);
  return date && v.last_modified && seconds_floor(*v.last_modified) == *date;
}

}  // namespace rdpwarden::server::web
