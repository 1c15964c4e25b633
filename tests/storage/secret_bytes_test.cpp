#include <cstring>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/secret_bytes.hpp>

using rdpwarden::storage::SecretBytes;

TEST_CASE("a secret holds its bytes with a NUL after them") {
  SecretBytes s(std::string_view("p@ss"));
  CHECK(s.size() == 4);
  CHECK(s.view() == "p@ss");
  CHECK(std::strlen(s.c_str()) == 4);
  CHECK(s.equals(std::as_bytes(std::span("p@ss", 4))));
  CHECK_FALSE(s.equals(std::as_bytes(std::span("p@sx", 4))));
  CHECK_FALSE(s.equals(std::as_bytes(std::span("p@s", 3))));
  CHECK(std::string(SecretBytes().c_str()).empty());
}

TEST_CASE("moving a secret leaves the source empty; clone copies on purpose") {
  SecretBytes a(std::string_view("hunter2"));
  SecretBytes b = std::move(a);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): that is the point
  CHECK(b.view() == "hunter2");
  SecretBytes c = b.clone();
  b.clear();
  CHECK(b.empty());
  CHECK(c.view() == "hunter2");
}

TEST_CASE("adopting a buffer keeps its bytes") {
  std::vector<std::byte> tight{std::byte{'a'}, std::byte{'b'}};
  tight.shrink_to_fit();
  auto s = SecretBytes::adopt(std::move(tight));
  CHECK(s.view() == "ab");
  std::vector<std::byte> roomy{std::byte{'x'}};
  roomy.reserve(16);
  auto t = SecretBytes::adopt(std::move(roomy));
  CHECK(t.view() == "x");
  CHECK(std::string(t.c_str()) == "x");
}
