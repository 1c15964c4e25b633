#include <cstring>

#include <openssl/crypto.h>

#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::storage {

SecretBytes::SecretBytes(std::span<const std::byte> bytes)
    : buffer_(bytes.size() + 1, std::byte{0}), size_(bytes.size()) {
  if (!bytes.empty()) std::memcpy(buffer_.data(), bytes.data(), bytes.size());
}

SecretBytes::SecretBytes(std::string_view text)
    : SecretBytes(std::as_bytes(std::span(text.data(), text.size()))) {}

SecretBytes SecretBytes::adopt(std::vector<std::byte>&& buffer) {
  SecretBytes secret;
  if (buffer.capacity() > buffer.size()) {
    // Room for the NUL without reallocating, so no unwiped copy is left behind.
    secret.size_ = buffer.size();
    secret.buffer_ = std::move(buffer);
    secret.buffer_.push_back(std::byte{0});
  } else {
    secret = SecretBytes(std::span<const std::byte>(buffer));
    OPENSSL_cleanse(buffer.data(), buffer.size());
    buffer.clear();
  }
  return secret;
}

SecretBytes SecretBytes::zeroed(std::size_t size) {
  SecretBytes secret;
  secret.buffer_.assign(size + 1, std::byte{0});
  secret.size_ = size;
  return secret;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : buffer_(std::move(other.buffer_)), size_(other.size_) {
  other.buffer_.clear();
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    buffer_ = std::move(other.buffer_);
    size_ = other.size_;
    other.buffer_.clear();
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  wipe();
}

SecretBytes SecretBytes::clone() const {
  return SecretBytes(bytes());
}

void SecretBytes::clear() noexcept {
  wipe();
  buffer_.clear();
  buffer_.shrink_to_fit();
  size_ = 0;
}

std::string_view SecretBytes::view() const noexcept {
  return {reinterpret_cast<const char*>(buffer_.data()), size_};
}

const char* SecretBytes::c_str() const noexcept {
  return buffer_.empty() ? "" : reinterpret_cast<const char*>(buffer_.data());
}

bool SecretBytes::equals(std::span<const std::byte> other) const noexcept {
  return other.size() == size_ && CRYPTO_memcmp(other.data(), buffer_.data(), size_) == 0;
}

void SecretBytes::wipe() noexcept {
  if (!buffer_.empty()) OPENSSL_cleanse(buffer_.data(), buffer_.size());
}

}  // namespace rdpwarden::storage
