#pragma once
// Administrator-facing log: one line per meaningful event, to stderr, never a secret.
// Thread-safe; each line is written with a single write(2) so lines from the supervisor and
// its workers never interleave mid-line.

#include <string_view>

#include <fmt/format.h>

#include <rdpwarden/server/config.hpp>

namespace rdpwarden::server::log {

void set_level(LogLevel level);
LogLevel level();
// Prefix for every line of this process, e.g. "worker 4f2a" (empty for the supervisor).
void set_process_tag(std::string_view tag);
void write(LogLevel level, std::string_view message);

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= LogLevel::debug)
    write(LogLevel::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= LogLevel::info) write(LogLevel::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= LogLevel::warning)
    write(LogLevel::warning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  write(LogLevel::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace rdpwarden::server::log
