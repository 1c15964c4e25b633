// A pg_dump of the database holds no password and no NT hash in any readable form.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/credentials.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;

namespace {
std::string hex(std::span<const std::byte> bytes, bool upper = false) {
  std::string out;
  for (auto b : bytes)
    out += upper ? fmt::format("{:02X}", static_cast<unsigned>(b))
                 : fmt::format("{:02x}", static_cast<unsigned>(b));
  return out;
}
std::span<const std::byte> bytes(const std::string& s) {
  return std::as_bytes(std::span(s.data(), s.size()));
}
std::string base64(std::span<const std::byte> data) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (auto b : data) {
    acc = (acc << 8) | static_cast<unsigned>(b);
    bits += 8;
    while (bits >= 6) {
      out += table[(acc >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits) out += table[(acc << (6 - bits)) & 63];
  return out;
}
std::string utf16le(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}
}  // namespace

TEST_CASE("a pg_dump contains no password and no NT hash in any readable form") {
  StorageFixture f;
  const std::string user_password = "Gw-Passw0rd-Unique-7731";
  const std::string account_password = "T4rget-Secret-Unique-9142";
  f.db.users().add("ops1", storage::Role::admin, user_password);
  f.db.targets().add({"srv01", "10.0.0.1", 3389, ""});
  f.db.accounts().add({"srv01", "administrator", "CORP"}, account_password);

  auto dump = PostgresServer::shared().client("pg_dump", f.database(), {"--no-owner"});
  REQUIRE(dump.exit_code == 0);
  // The dump does hold the rows (so the test can fail): the user, the account, their seals.
  CHECK(dump.out.find("ops1") != std::string::npos);
  CHECK(dump.out.find("administrator") != std::string::npos);
  CHECK(dump.out.find(f.keys->current_id()) != std::string::npos);

  auto nt = storage::nt_hash(user_password);
  for (const auto& secret : {user_password, account_password}) {
    INFO("a secret of " << secret.size() << " characters");
    CHECK(dump.out.find(secret) == std::string::npos);
    CHECK(dump.out.find(hex(bytes(secret))) == std::string::npos);  // as bytea hex
    CHECK(dump.out.find(base64(bytes(secret)).substr(0, 20)) == std::string::npos);
    CHECK(dump.out.find(hex(bytes(utf16le(secret)))) == std::string::npos);  // UTF-16 bytes
  }
  for (const auto& form :
       {hex(nt.bytes()), hex(nt.bytes(), true), base64(nt.bytes()).substr(0, 20)}) {
    INFO("NT hash form " << form);
    CHECK(dump.out.find(form) == std::string::npos);
  }
  // The account's NT hash either (the gateway never stores it, but it would be as good as the
  // password for NTLM).
  auto account_nt = storage::nt_hash(account_password);
  CHECK(dump.out.find(hex(account_nt.bytes())) == std::string::npos);
}
