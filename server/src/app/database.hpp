#pragma once
// How `serve` and the CLI reach the database a Config names: the embedded cluster under
// <data-dir>/pg when database.url is empty (started or joined, stopped by the last user), or
// the server at database.url. Opening also applies pending migrations and loads the master key
// (generating <data-dir>/keys/master.key on first use, but never while the database holds
// secrets sealed with a key that is missing).
//
//   auto db = app::Database::open(*config);
//   auto conn = db->connect();               // one connection, for this thread
//   auto lease = db->pool().acquire();       // or a pooled one, from any thread

#include <cstddef>
#include <memory>
#include <string>

#include <rdpwarden/server/config.hpp>
#include <rdpwarden/storage/connection_pool.hpp>
#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/embedded_cluster.hpp>
#include <rdpwarden/storage/key_ring.hpp>
#include <rdpwarden/storage/migrations.hpp>

namespace rdpwarden::server::app {

class Database {
 public:
  // Throws storage::Unavailable (cannot start or reach it), storage::SchemaMismatch,
  // storage::KeyError. `pool_size` bounds the shared pool.
  static std::unique_ptr<Database> open(const Config& config, std::size_t pool_size = 4);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();  // closes the pool, then leaves the embedded cluster (stopping it when last)

  storage::Database connect() const;
  storage::ConnectionPool& pool() { return *pool_; }
  const std::shared_ptr<storage::KeyRing>& keys() const { return keys_; }
  const std::string& conninfo() const { return conninfo_; }
  bool embedded() const { return cluster_ != nullptr; }
  // What open() migrated (serve logs it; the CLI stays quiet).
  const storage::MigrationReport& migration() const { return migration_; }

 private:
  Database() = default;
  std::unique_ptr<storage::EmbeddedCluster> cluster_;
  std::string conninfo_;
  std::shared_ptr<storage::KeyRing> keys_;
  std::unique_ptr<storage::ConnectionPool> pool_;
  storage::MigrationReport migration_;
};

}  // namespace rdpwarden::server::app
