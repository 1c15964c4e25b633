#include "support/random_text.hpp"
#include <random>
#include <string_view>

namespace rdpwarden::test {

std::string random_text(std::size_t length) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string out(length, ' ');
  for (auto& c : out)
    c = kAlphabet[pick(device)];
  return out;
}

}  // namespace rdpwarden::test
