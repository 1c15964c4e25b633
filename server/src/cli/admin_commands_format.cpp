#include "cli/admin_commands_format.hpp"
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace rdpwarden::server::cli {
namespace {

using namespace std::chrono;

bool digits(std::string_view& text, std::size_t count, int& out) {
  if (text.size() < count) return false;
  for (std::size_t i = 0; i < count; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  std::from_chars(text.data(), text.data() + count, out);
  text.remove_prefix(count);
  return true;
}

bool take(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

// "Z", "+02:00", "-0530", "+02" or nothing (UTC); the offset to subtract from local time.
std::optional<minutes> parse_offset(std::string_view text) {
  if (text.empty() || text == "Z" || text == "z") return minutes(0);
  int sign = text.front() == '+' ? 1 : text.front() == '-' ? -1 : 0;
  if (sign == 0) return std::nullopt;
  text.remove_prefix(1);
  int h = 0, m = 0;
  if (!digits(text, 2, h)) return std::nullopt;
  take(text, ':');
  if (!text.empty() && !digits(text, 2, m)) return std::nullopt;
  if (!text.empty() || h > 23 || m > 59) return std::nullopt;
  return minutes(sign * (h * 60 + m));
}

}  // namespace

std::optional<storage::TimePoint> parse_iso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(text, 4, y) || !take(text, '-') || !digits(text, 2, mo) || !take(text, '-') ||
      !digits(text, 2, d))
    return std::nullopt;
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  microseconds fraction{0};
  if (!text.empty() && (text.front() == 'T' || text.front() == 't' || text.front() == ' ')) {
    text.remove_prefix(1);
    if (!digits(text, 2, h) || !take(text, ':') || !digits(text, 2, mi)) return std::nullopt;
    if (take(text, ':')) {
      if (!digits(text, 2, s)) return std::nullopt;
      if (take(text, '.')) {
        int scale = 100000, count = 0;
        while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
          fraction += microseconds((text.front() - '0') * scale);
          scale /= 10;
          text.remove_prefix(1);
          ++count;
        }
        if (count == 0) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  }
  auto offset = parse_offset(text);
  if (!offset) return std::nullopt;
  auto t = sys_days{date} + hours{h} + minutes{mi} + seconds{s} + fraction - *offset;
  return time_point_cast<system_clock::duration>(t);
}

std::string format_iso8601(storage::TimePoint time) {
  auto secs = time_point_cast<seconds>(time);
  auto day = floor<days>(secs);
  year_month_day ymd{day};
  hh_mm_ss hms{secs - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

std::string format_iso8601(const std::optional<storage::TimePoint>& time) {
  return time ? format_iso8601(*time) : std::string();
}

std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) {
    width[c] = headers[c].size();
    for (const auto& row : rows)
      width[c] = std::max(width[c], row.at(c).size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out += cells[c];
      if (c + 1 < cells.size()) out += std::string(width[c] - cells[c].size() + 2, ' ');
    }
    return out + "\n";
  };
  std::vector<std::string> upper;
  for (auto h : headers) {
    std::transform(h.begin(), h.end(), h.begin(), [](char ch) { return std::toupper(ch); });
    upper.push_back(h);
  }
  std::string out = line(upper);
  for (const auto& row : rows)
    out += line(row);
  return out;
}

}  // namespace rdpwarden::server::cli
