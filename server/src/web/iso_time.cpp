#include "web/iso_time.hpp"
#include <ctime>

#include <fmt/format.h>

namespace rdpwarden::server::web {
namespace {

std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t count) {
  if (pos + count > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::string format_iso(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  auto frac = ms - static_cast<long long>(secs) * 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

std::optional<IsoParse> parse_iso(std::string_view s) {
  auto year = digits(s, 0, 4);
  auto month = digits(s, 5, 2);
  auto day = digits(s, 8, 2);
  if (!year || !month || !day || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  // The clock's range (nanoseconds in 64 bits) ends in 2262; no session is that old or new.
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *year < 1970 || *year > 2200)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  IsoParse out;
  std::chrono::milliseconds extra{0};
  std::size_t pos = 10;
  if (s.size() == 10) {
    out.date_only = true;
  } else {
    if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
    auto hour = digits(s, 11, 2);
    auto minute = digits(s, 14, 2);
    if (!hour || !minute || s.size() < 16 || s[13] != ':' || *hour > 23 || *minute > 59)
      return std::nullopt;
    tm.tm_hour = *hour;
    tm.tm_min = *minute;
    pos = 16;
    if (pos < s.size() && s[pos] == ':') {
      auto second = digits(s, pos + 1, 2);
      if (!second || *second > 60) return std::nullopt;
      tm.tm_sec = *second;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        std::size_t end = pos + 1;
        int ms = 0;
        int scale = 100;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9') {
          ms += (s[end] - '0') * scale;
          scale /= 10;
          ++end;
        }
        if (end == pos + 1) return std::nullopt;
        extra = std::chrono::milliseconds(ms);
        pos = end;
      }
    }
    if (pos < s.size() && s[pos] == 'Z') {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      auto oh = digits(s, pos + 1, 2);
      auto om = digits(s, pos + 4, 2);
      if (!oh || !om || s.size() < pos + 6 || s[pos + 3] != ':' || *oh > 23 || *om > 59)
        return std::nullopt;
      auto offset = std::chrono::minutes(*oh * 60 + *om);
      extra -= s[pos] == '+' ? offset : -offset;
      pos += 6;
    }
    if (pos != s.size()) return std::nullopt;
  }
  std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  out.time = std::chrono::system_clock::from_time_t(t) + extra;
  return out;
}

}  // namespace rdpwarden::server::web
