#pragma once
// Cleartext secrets in memory (an NT hash, an account password, a password being typed): owned
// bytes that are wiped with OPENSSL_cleanse when destroyed, moved-from or cleared. Copying is
// explicit (`clone()`) so a secret never spreads by accident. The buffer always carries a
// terminating NUL beyond size() so C APIs (FreeRDP settings) can take `c_str()` directly.
//
// Not mlock'ed: heap pages are shared with other allocations, so locking (and later unlocking)
// one page per secret would be both partial and wrong; the supervisor disables core dumps instead.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace rdpwarden::storage {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::span<const std::byte> bytes);
  explicit SecretBytes(std::string_view text);
  // Takes over `buffer` (wiping nothing the caller still holds: the vector is moved).
  static SecretBytes adopt(std::vector<std::byte>&& buffer);
  // A zero-filled secret of `size` bytes to be written through data().
  static SecretBytes zeroed(std::size_t size);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  SecretBytes clone() const;
  void clear() noexcept;  // wipes and empties

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::span<const std::byte> bytes() const noexcept { return {buffer_.data(), size_}; }
  std::span<std::byte> data() noexcept { return {buffer_.data(), size_}; }
  std::string_view view() const noexcept;
  const char* c_str() const noexcept;

  // Constant-time comparison (length is not secret).
  bool equals(std::span<const std::byte> other) const noexcept;

 private:
  void wipe() noexcept;
  std::vector<std::byte> buffer_;  // size_ bytes + a NUL
  std::size_t size_ = 0;
};

}  // namespace rdpwarden::storage
