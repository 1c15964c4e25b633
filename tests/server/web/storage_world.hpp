#pragma once
// The console's data in a real PostgreSQL (the shared test cluster): a fresh migrated database,
// a connection pool, and StorageBackend on it, with helpers to create what the gateway would
// have created (users, targets, accounts, sessions with events).

#include <memory>
#include <string>
#include <vector>

#include <rdpwarden/storage/connection_pool.hpp>
#include <rdpwarden/storage/database.hpp>

#include "support/temp_dir.hpp"
#include "web/storage_backend.hpp"

namespace rdpwarden::test {

struct StorageWorld {
  StorageWorld();
  ~StorageWorld();

  void add_user(const std::string& name, storage::Role role, const std::string& password);
  // A session of `user` on `target` (created with an account `login` when not empty), ended
  // with `reason` after `duration_ms` unless `live`; typed lines become `text` events.
  std::string add_session(const std::string& user, const std::string& target,
                          const std::string& login, const std::string& id = {},
                          const std::vector<std::string>& typed = {}, bool live = false,
                          std::int64_t duration_ms = 60000, std::int64_t bytes = 0,
                          const std::string& reason = "client-disconnect");
  std::vector<storage::AuditEntry> audit();

  TempDir dir{"rdpwarden-web-db"};
  std::string conninfo;
  std::shared_ptr<storage::KeyRing> keys;
  storage::Database db;  // for setting up and checking, on the test's thread
  std::unique_ptr<storage::ConnectionPool> pool;
  std::unique_ptr<server::web::StorageBackend> backend;
};

}  // namespace rdpwarden::test
