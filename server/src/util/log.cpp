#include "util/log.hpp"
#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <string>
#include <unistd.h>

namespace rdpwarden::server::log {
namespace {
std::atomic<LogLevel> g_level{LogLevel::info};
std::mutex g_tag_mutex;
std::string g_tag;

std::string_view name(LogLevel l) {
  switch (l) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "?";
}
}  // namespace

void set_level(LogLevel level) {
  g_level = level;
}
LogLevel level() {
  return g_level;
}

void set_process_tag(std::string_view tag) {
  std::lock_guard lock(g_tag_mutex);
  g_tag = tag;
}

void write(LogLevel l, std::string_view message) {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::string tag;
  {
    std::lock_guard lock(g_tag_mutex);
    tag = g_tag;
  }
  std::string line =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {:5} {}{}", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms, name(l),
                  tag.empty() ? "" : "[" + tag + "] ", message);
  // Control characters from untrusted input must not forge extra log lines.
  for (char& ch : line) {
    if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t') ch = '?';
  }
  line.push_back('\n');
  std::size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
}

}  // namespace rdpwarden::server::log
