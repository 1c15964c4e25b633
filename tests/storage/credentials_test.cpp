#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <rdpwarden/storage/credentials.hpp>
#include <rdpwarden/storage/errors.hpp>

using namespace rdpwarden::storage;

namespace {
std::string hex(const SecretBytes& secret) {
  std::string out;
  for (auto b : secret.bytes())
    out += fmt::format("{:02x}", static_cast<unsigned>(b));
  return out;
}
}  // namespace

TEST_CASE("the NT hash matches Windows' for ASCII and non-ASCII passwords") {
  // Vectors from `winpr-hash -u x -p PASSWORD`.
  CHECK(hex(nt_hash("gwpass")) == "9449ebd42f1e96c7e1c9255f3f3b7759");
  CHECK(hex(nt_hash("pässwörd")) == "0553152250ac01adb4213cb9938663e4");
  // Cyrillic, a BMP symbol and a character outside the BMP (a surrogate pair in UTF-16).
  CHECK(hex(nt_hash("пароль€😀")) == "2b9c5196c5c69c6bf51d9cf004655161");
  CHECK(hex(nt_hash("")) == "31d6cfe0d16ae931b73c59d7e0c089c0");  // MD4 of nothing
}

TEST_CASE("a password that is not UTF-8 has no NT hash") {
  CHECK_THROWS_AS(nt_hash("\xff\xfe"), InvalidInput);
  CHECK_THROWS_AS(nt_hash("\xc0\xaf"), InvalidInput);          // overlong '/'
  CHECK_THROWS_AS(nt_hash("\xed\xa0\x80"), InvalidInput);      // a UTF-16 surrogate
  CHECK_THROWS_AS(nt_hash("abc\xe2\x82"), InvalidInput);       // truncated
  CHECK_THROWS_AS(nt_hash("\xf4\x90\x80\x80"), InvalidInput);  // beyond U+10FFFF
}

TEST_CASE("web password hashes are salted scrypt strings that verify") {
  auto a = hash_web_password("correct horse");
  auto b = hash_web_password("correct horse");
  CHECK(a.rfind("$scrypt$ln=15,r=8,p=1$", 0) == 0);
  CHECK(a != b);  // salted
  CHECK(a.find("correct") == std::string::npos);
  CHECK(verify_web_password(a, "correct horse"));
  CHECK(verify_web_password(b, "correct horse"));
  CHECK_FALSE(verify_web_password(a, "correct horsE"));
  CHECK_FALSE(verify_web_password(a, ""));
}

TEST_CASE("a malformed or hostile stored hash never verifies") {
  auto good = hash_web_password("pw");
  CHECK_FALSE(verify_web_password("", "pw"));
  CHECK_FALSE(verify_web_password("$scrypt$", "pw"));
  CHECK_FALSE(verify_web_password("plaintext-pw", "pw"));
  CHECK_FALSE(verify_web_password(good.substr(0, good.size() - 4), "pw"));  // short hash
  // Parameters that would allocate gigabytes are refused, not computed.
  auto rest = good.substr(good.find("$", 8));
  CHECK_FALSE(verify_web_password("$scrypt$ln=30,r=8,p=1" + rest, "pw"));
  CHECK_FALSE(verify_web_password("$scrypt$ln=15,r=800,p=1" + rest, "pw"));
  CHECK_FALSE(verify_web_password("$scrypt$ln=15,r=8" + rest, "pw"));
  CHECK_FALSE(verify_web_password("$scrypt$ln=15,r=8,p=1$!!!$???", "pw"));
}
