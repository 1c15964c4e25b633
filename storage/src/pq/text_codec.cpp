#include "pq/text_codec.hpp"
#include <charconv>

#include <fmt/format.h>

namespace rdpwarden::storage::pq {
namespace {

using namespace std::chrono;

bool read_int(std::string_view& text, std::size_t digits, int& out) {
  if (text.size() < digits) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, out);
  if (ec != std::errc() || end != text.data() + digits) return false;
  text.remove_prefix(digits);
  return true;
}

bool expect(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string format_timestamp(TimePoint time) {
  auto us = time_point_cast<microseconds>(time);
  auto day = floor<days>(us);
  year_month_day ymd{day};
  hh_mm_ss hms{us - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", int(ymd.year()),
                     unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<TimePoint> parse_timestamp(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_int(text, 4, y) || !expect(text, '-') || !read_int(text, 2, mo) || !expect(text, '-') ||
      !read_int(text, 2, d) || !expect(text, ' ') || !read_int(text, 2, h) || !expect(text, ':') ||
      !read_int(text, 2, mi) || !expect(text, ':') || !read_int(text, 2, s))
    return std::nullopt;
  std::int64_t micros = 0;
  if (!text.empty() && text.front() == '.') {
    text.remove_prefix(1);
    int scale = 100000;
    while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
      micros += (text.front() - '0') * scale;
      scale /= 10;
      text.remove_prefix(1);
    }
  }
  if (text != "+00") return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + microseconds{micros};
  return time_point_cast<system_clock::duration>(t);
}

std::string format_text_array(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : elements[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::optional<std::vector<std::string>> parse_text_array(std::string_view text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  text = text.substr(1, text.size() - 2);
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::string element;
    bool quoted = text[i] == '"';
    if (quoted) {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        element += text[i];
      }
      if (i >= text.size()) return std::nullopt;
      ++i;
    } else {
      while (i < text.size() && text[i] != ',')
        element += text[i++];
    }
    if (quoted || element != "NULL") out.push_back(std::move(element));
    if (i < text.size() && text[i] != ',') return std::nullopt;
    ++i;
  }
  return out;
}

std::optional<std::vector<std::byte>> decode_bytea(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2) return std::nullopt;
  std::vector<std::byte> out;
  out.reserve(text.size() / 2 - 1);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::byte>(hi * 16 + lo));
  }
  return out;
}

}  // namespace rdpwarden::storage::pq
