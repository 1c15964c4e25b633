#pragma once
// Slows down password guessing at the sign-in form. Failures are counted per user name and per
// client address; reaching the limit within the lockout window locks that key for the lockout
// period. An address gets a larger budget than a user (several people may sit behind one NAT),
// and a success clears only the user's count: signing in to one account you own must not buy
// more guesses at another.
//
// Threading: thread-safe. Memory is bounded: at most `max_keys` entries per kind, the stalest
// dropped first.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace rdpwarden::server::web {

class LoginThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  struct Limits {
    int user_failures = 5;
    int address_failures = 20;
    std::chrono::seconds lockout{300};
  };

  explicit LoginThrottle(Limits limits, Clock clock = &std::chrono::steady_clock::now,
                         std::size_t max_keys = 10000);

  // Zero when `user` may try from `address` now; else how long until it may.
  std::chrono::seconds retry_after(std::string_view user, std::string_view address);
  void record_failure(std::string_view user, std::string_view address);
  void record_success(std::string_view user);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point window_start;
    std::chrono::steady_clock::time_point locked_until;
  };
  using Table = std::map<std::string, Entry, std::less<>>;

  std::chrono::seconds remaining(Table& table, const std::string& key,
                                 std::chrono::steady_clock::time_point now);
  void fail(Table& table, const std::string& key, int limit,
            std::chrono::steady_clock::time_point now);
  void trim(Table& table, std::chrono::steady_clock::time_point now);

  Limits limits_;
  Clock clock_;
  std::size_t max_keys_;
  std::mutex mutex_;
  Table users_;
  Table addresses_;
};

}  // namespace rdpwarden::server::web
