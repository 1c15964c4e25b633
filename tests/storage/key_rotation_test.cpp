// `key rotate` underneath: every secret re-sealed with a new key in one transaction, audited.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/key_rotation.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;

namespace {
storage::AuditRecord cli_actor() {
  storage::AuditRecord r;
  r.actor = "root";
  r.actor_kind = storage::ActorKind::cli;
  return r;
}
std::string key_ids(PostgresServer& pg, const std::string& db) {
  return pg
      .psql(db,
            "SELECT string_agg(DISTINCT k, ',') FROM (SELECT nt_hash_key_id k FROM users UNION "
            "ALL SELECT password_key_id FROM accounts) x")
      .out;
}
}  // namespace

TEST_CASE("rotation re-seals every secret under a new key and retires the old one") {
  StorageFixture f;
  auto& pg = PostgresServer::shared();
  f.db.users().add("ops1", storage::Role::admin, "gwpass");
  f.db.targets().add({"srv01", "10.0.0.1", 3389, ""});
  auto account = f.db.accounts().add({"srv01", "admin", ""}, "T4rget!");
  auto old_id = f.keys->current_id();
  CHECK(key_ids(pg, f.database()) == old_id + "\n");
  CHECK(storage::key_ids_in_use(f.db) == std::vector<std::string>{old_id});

  auto report = storage::rotate_master_key(f.db, cli_actor());
  CHECK(report.old_key_id == old_id);
  CHECK(report.new_key_id != old_id);
  CHECK(report.resealed == 2);
  CHECK(f.keys->current_id() == report.new_key_id);
  CHECK(key_ids(pg, f.database()) == report.new_key_id + "\n");
  CHECK(std::filesystem::exists(f.dir / "keys/retired" / (old_id + ".key")));

  // Everything still opens, in this process and in a fresh one that reads only the files.
  CHECK(f.db.accounts().password(account.id).view() == "T4rget!");
  auto fresh_keys =
      storage::KeyRing::open(f.dir / "keys/master.key", storage::KeyRing::IfMissing::fail);
  auto fresh = storage::Database::connect(f.conninfo, fresh_keys);
  CHECK(fresh.accounts().password(account.id).view() == "T4rget!");
  CHECK(fresh.users().find_logon("ops1"));
  // Without the retired key the new database content still opens: the old key is not needed.
  std::filesystem::remove_all(f.dir / "keys/retired");
  auto only_new = storage::Database::connect(
      f.conninfo,
      storage::KeyRing::open(f.dir / "keys/master.key", storage::KeyRing::IfMissing::fail));
  CHECK(only_new.accounts().password(account.id).view() == "T4rget!");

  auto audit = f.db.audit().list();
  REQUIRE(audit.total == 1);
  CHECK(audit.entries[0].action == storage::AuditAction::key_rotate);
  CHECK(audit.entries[0].details_json.find(report.new_key_id) != std::string::npos);
}

TEST_CASE("a rotation that meets a broken secret changes nothing") {
  StorageFixture f;
  auto& pg = PostgresServer::shared();
  f.db.users().add("ops1", storage::Role::admin, "gwpass");
  f.db.users().add("ops2", storage::Role::admin, "gwpass");
  REQUIRE(pg.psql(f.database(),
                  "UPDATE users SET nt_hash_sealed = (SELECT nt_hash_sealed FROM users WHERE "
                  "name = 'ops1') WHERE name = 'ops2'")
              .exit_code == 0);
  auto old_id = f.keys->current_id();
  CHECK_THROWS_AS(storage::rotate_master_key(f.db, cli_actor()), storage::KeyError);
  CHECK(f.keys->current_id() == old_id);
  CHECK(key_ids(pg, f.database()) == old_id + "\n");
  CHECK_FALSE(std::filesystem::exists(f.dir / "keys/retired"));
  std::size_t key_files = 0;
  for (const auto& e : std::filesystem::directory_iterator(f.dir / "keys"))
    key_files += e.path().extension() == ".key";
  CHECK(key_files == 1);
  CHECK(f.db.audit().list().total == 0);
  CHECK(f.db.users().find_logon("ops1"));
}
