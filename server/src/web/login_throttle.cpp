#include "web/login_throttle.hpp"
#include <algorithm>

namespace rdpwarden::server::web {
namespace {

// User names are matched case-insensitively so "Ops1" and "ops1" share one budget.
std::string user_key(std::string_view user) {
  std::string key(user.substr(0, 256));
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return key;
}

}  // namespace

LoginThrottle::LoginThrottle(Limits limits, Clock clock, std::size_t max_keys)
    : limits_(limits), clock_(std::move(clock)), max_keys_(std::max<std::size_t>(1, max_keys)) {}

std::chrono::seconds LoginThrottle::remaining(Table& table, const std::string& key,
                                              std::chrono::steady_clock::time_point now) {
  auto it = table.find(key);
  if (it == table.end() || it->second.locked_until <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now);
}

std::chrono::seconds LoginThrottle::retry_after(std::string_view user, std::string_view address) {
  auto now = clock_();
  std::lock_guard lock(mutex_);
  return std::max(remaining(users_, user_key(user), now),
                  remaining(addresses_, std::string(address), now));
}

void LoginThrottle::fail(Table& table, const std::string& key, int limit,
                         std::chrono::steady_clock::time_point now) {
  if (table.size() >= max_keys_ && table.find(key) == table.end()) trim(table, now);
  auto& e = table[key];
  if (e.failures == 0 || now - e.window_start >= limits_.lockout) {
    e.failures = 0;
    e.window_start = now;
  }
  if (++e.failures >= limit) {
    e.locked_until = now + limits_.lockout;
    e.failures = 0;  // a fresh budget once the lock ends
  }
}

void LoginThrottle::trim(Table& table, std::chrono::steady_clock::time_point now) {
  std::erase_if(table, [&](const auto& kv) {
    return kv.second.locked_until <= now && now - kv.second.window_start >= limits_.lockout;
  });
  while (table.size() >= max_keys_) {
    auto stalest = std::min_element(table.begin(), table.end(), [](auto& a, auto& b) {
      return std::max(a.second.window_start, a.second.locked_until) <
             std::max(b.second.window_start, b.second.locked_until);
    });
    table.erase(stalest);
  }
}

void LoginThrottle::record_failure(std::string_view user, std::string_view address) {
  auto now = clock_();
  std::lock_guard lock(mutex_);
  fail(users_, user_key(user), limits_.user_failures, now);
  fail(addresses_, std::string(address), limits_.address_failures, now);
}

void LoginThrottle::record_success(std::string_view user) {
  std::lock_guard lock(mutex_);
  users_.erase(user_key(user));
}

}  // namespace rdpwarden::server::web
