#pragma once
// Cleartext secrets (passwords, NT hashes, private keys) in memory: wiped when they die.
// A Secret is move-only so a copy can never outlive the wipe.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace rdpwarden::server::rdp {

// Overwrites the bytes (OPENSSL_cleanse, which the compiler may not elide).
void wipe(void* data, std::size_t size);
void wipe(std::string& text);  // wipes the whole capacity, then clears

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string_view text) : value_(text) {}
  explicit Secret(std::string&& text) : value_(std::move(text)) {}
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.clear(); }
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() { clear(); }

  std::string_view view() const { return value_; }
  const char* c_str() const { return value_.c_str(); }
  bool empty() const { return value_.empty(); }
  std::size_t size() const { return value_.size(); }
  void clear() { wipe(value_); }

 private:
  std::string value_;
};

}  // namespace rdpwarden::server::rdp
