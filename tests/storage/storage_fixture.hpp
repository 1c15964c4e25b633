#pragma once
// A fresh, migrated database in the shared test cluster, with its own master key.

#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/key_ring.hpp>
#include <rdpwarden/storage/migrations.hpp>

#include "support/postgres.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

struct StorageFixture {
  StorageFixture()
      : conninfo(PostgresServer::shared().create_database()),
        keys(storage::KeyRing::open(dir / "keys/master.key", storage::KeyRing::IfMissing::create)),
        db(storage::Database::connect(conninfo, keys)) {
    storage::migrate(db);
  }
  std::string database() const { return PostgresServer::database_of(conninfo); }
  storage::Database connect() { return storage::Database::connect(conninfo, keys); }

  TempDir dir;
  std::string conninfo;
  std::shared_ptr<storage::KeyRing> keys;
  storage::Database db;
};

inline storage::NewGrant any_account_grant(std::string user, std::string target) {
  storage::NewGrant grant;
  grant.key.user = std::move(user);
  grant.key.target = std::move(target);
  return grant;
}

inline storage::NewGrant account_grant(std::string user, std::string target, std::string login,
                                       std::optional<std::string> domain = std::nullopt) {
  auto grant = any_account_grant(std::move(user), std::move(target));
  grant.key.account_login = std::move(login);
  grant.key.account_domain = std::move(domain);
  return grant;
}

inline storage::NewSession new_session(storage::RowId user_id, storage::RowId target_id,
                                       std::optional<storage::RowId> account_id = std::nullopt,
                                       std::string client = "192.0.2.10") {
  storage::NewSession s;
  s.user_id = user_id;
  s.target_id = target_id;
  s.account_id = account_id;
  s.client_address = std::move(client);
  s.worker_pid = 4242;
  return s;
}

}  // namespace rdpwarden::test
