#include "rdp/secret.hpp"

#include <openssl/crypto.h>

namespace rdpwarden::server::rdp {

void wipe(void* data, std::size_t size) {
  if (data && size) OPENSSL_cleanse(data, size);
}

void wipe(std::string& text) {
  // Short strings live inside the object; longer ones in a heap block of `capacity()` bytes.
  // Either way, the bytes up to capacity are ours to clear.
  if (text.capacity()) wipe(text.data(), text.capacity());
  text.clear();
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    clear();
    value_ = std::move(other.value_);
    other.clear();
  }
  return *this;
}

}  // namespace rdpwarden::server::rdp
