// The key ring on real files: generation, permissions, sealing, tampering, rotation steps.
#include <fstream>
#include <sys/stat.h>
#include <thread>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/key_ring.hpp>

#include "support/temp_dir.hpp"

using namespace rdpwarden::storage;
using rdpwarden::test::TempDir;

namespace {
std::span<const std::byte> bytes(std::string_view s) {
  return std::as_bytes(std::span(s.data(), s.size()));
}
unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}
std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("a missing master key is generated 0600 in a 0700 directory") {
  TempDir dir;
  auto file = dir / "keys/master.key";
  auto ring = KeyRing::open(file, KeyRing::IfMissing::create);
  CHECK(mode_of(file) == 0600);
  CHECK(mode_of(dir / "keys") == 0700);
  CHECK(ring->current_id().size() == 16);
  CHECK(read(file).rfind("rdpwarden-key-v1 " + ring->current_id() + " ", 0) == 0);
  auto again = KeyRing::open(file, KeyRing::IfMissing::create);
  CHECK(again->current_id() == ring->current_id());
}

TEST_CASE("a named master key that does not exist is an error, not a new key") {
  TempDir dir;
  CHECK_THROWS_MATCHES(
      KeyRing::open(dir / "nope.key", KeyRing::IfMissing::fail), KeyError,
      Catch::Message("master key file " + (dir / "nope.key").string() + " does not exist"));
}

TEST_CASE("a key file other users can read is refused") {
  TempDir dir;
  auto file = dir / "keys/master.key";
  KeyRing::open(file, KeyRing::IfMissing::create);
  std::filesystem::permissions(file, std::filesystem::perms(0644));
  CHECK_THROWS_WITH(
      KeyRing::open(file, KeyRing::IfMissing::fail),
      Catch::Contains("accessible by other users (mode 0644)") && Catch::Contains("chmod 600"));
}

TEST_CASE("a damaged key file is refused") {
  TempDir dir;
  auto file = dir / "master.key";
  KeyRing::open(file, KeyRing::IfMissing::create);
  auto text = read(file);
  text[text.size() - 5] = text[text.size() - 5] == 'A' ? 'B' : 'A';
  { std::ofstream(file) << text; }
  CHECK_THROWS_WITH(KeyRing::open(file, KeyRing::IfMissing::fail), Catch::Contains("damaged"));
  { std::ofstream(file) << "not a key\n"; }
  CHECK_THROWS_WITH(KeyRing::open(file, KeyRing::IfMissing::fail),
                    Catch::Contains("is not an rdpwarden key file"));
}

TEST_CASE("sealed secrets open only with their key and their context") {
  TempDir dir;
  auto ring = KeyRing::open(dir / "master.key", KeyRing::IfMissing::create);
  auto sealed = ring->seal("account:1:password", bytes("S3cret!"));
  CHECK(sealed.key_id == ring->current_id());
  CHECK(sealed.blob.size() == 12 + 7 + 16);
  CHECK(ring->unseal("account:1:password", sealed).view() == "S3cret!");
  CHECK(ring->seal("account:1:password", bytes("S3cret!")).blob != sealed.blob);  // fresh nonce

  CHECK_THROWS_WITH(ring->unseal("account:2:password", sealed),
                    Catch::Contains("does not open") && !Catch::Contains("S3cret"));
  auto tampered = sealed;
  tampered.blob[14] ^= std::byte{1};
  CHECK_THROWS_AS(ring->unseal("account:1:password", tampered), KeyError);
  auto truncated = sealed;
  truncated.blob.resize(20);
  CHECK_THROWS_AS(ring->unseal("account:1:password", truncated), KeyError);
  auto unknown = sealed;
  unknown.key_id = "0123456789abcdef";
  CHECK_THROWS_WITH(ring->unseal("account:1:password", unknown),
                    Catch::Contains("sealed with key 0123456789abcdef"));

  auto other = KeyRing::open(dir / "other/master.key", KeyRing::IfMissing::create);
  CHECK_THROWS_AS(other->unseal("account:1:password", sealed), KeyError);
}

TEST_CASE("other .key files beside the master key are left alone") {
  TempDir dir;
  auto file = dir / "master.key";
  KeyRing::open(file, KeyRing::IfMissing::create);
  { std::ofstream(dir / "tls.key") << "-----BEGIN PRIVATE KEY-----\n"; }
  std::filesystem::permissions(dir / "tls.key", std::filesystem::perms(0644));
  CHECK_NOTHROW(KeyRing::open(file, KeyRing::IfMissing::fail));
}

TEST_CASE("rotation steps keep every key reachable, and another process follows") {
  TempDir dir;
  auto file = dir / "keys/master.key";
  auto ring = KeyRing::open(file, KeyRing::IfMissing::create);
  auto watcher = KeyRing::open(file, KeyRing::IfMissing::fail);  // e.g. a running serve
  auto old_id = ring->current_id();
  auto old_secret = ring->seal("user:1:nt_hash", bytes("old"));

  auto new_id = ring->stage_new_key();
  CHECK(std::filesystem::exists(dir / "keys" / (new_id + ".key")));
  CHECK(ring->current_id() == old_id);  // staged, not yet current
  auto new_secret = ring->seal_with(new_id, "user:1:nt_hash", bytes("new"));
  // The watcher meets an unknown key id and re-reads the directory.
  CHECK(watcher->unseal("user:1:nt_hash", new_secret).view() == "new");

  ring->promote(new_id);
  CHECK(ring->current_id() == new_id);
  CHECK_FALSE(std::filesystem::exists(dir / "keys" / (new_id + ".key")));
  CHECK(std::filesystem::exists(dir / "keys/retired" / (old_id + ".key")));
  CHECK(mode_of(dir / "keys/retired" / (old_id + ".key")) == 0600);
  CHECK(watcher->current_id() == new_id);  // notices the replaced master file
  CHECK(watcher->seal("x", bytes("y")).key_id == new_id);

  auto fresh = KeyRing::open(file, KeyRing::IfMissing::fail);
  CHECK(fresh->current_id() == new_id);
  CHECK(fresh->unseal("user:1:nt_hash", old_secret).view() == "old");  // from retired/
}

TEST_CASE("a discarded staged key is gone") {
  TempDir dir;
  auto ring = KeyRing::open(dir / "master.key", KeyRing::IfMissing::create);
  auto id = ring->stage_new_key();
  ring->discard(id);
  CHECK_FALSE(std::filesystem::exists(dir / (id + ".key")));
  CHECK_FALSE(ring->knows(id));
}

TEST_CASE("processes creating the first master key at once all end up with the same one") {
  TempDir dir;
  auto file = dir / "keys/master.key";
  std::vector<std::string> ids(6);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < ids.size(); ++i)
    threads.emplace_back(
        [&, i] { ids[i] = KeyRing::open(file, KeyRing::IfMissing::create)->current_id(); });
  for (auto& t : threads)
    t.join();
  for (const auto& id : ids)
    CHECK(id == KeyRing::open(file, KeyRing::IfMissing::fail)->current_id());
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "keys"))
    files += e.is_regular_file();
  CHECK(files == 1);  // no temporary left behind
}
