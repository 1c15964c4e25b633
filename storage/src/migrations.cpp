#include <map>

#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/migrations.hpp>

#include "crypto/sha256.hpp"
#include "migration_data.hpp"
#include "pq/connection.hpp"

namespace rdpwarden::storage {
namespace {

// pg_advisory_lock key shared by every rdpwarden process migrating this database.
constexpr std::int64_t kMigrationLock = 0x7264707761726431;  // "rdpward1"

constexpr const char* kCreateSchemaTable = R"sql(
CREATE TABLE IF NOT EXISTS rdpwarden_schema (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))sql";

// Holds the session-level advisory lock; released on every exit path.
class MigrationLock {
 public:
  explicit MigrationLock(pq::Connection& c) : c_(c) {
    c_.exec("SELECT pg_advisory_lock($1)", {kMigrationLock});
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() {
    try {
      c_.exec("SELECT pg_advisory_unlock($1)", {kMigrationLock});
    } catch (const StorageError&) {
      // The connection is gone; the server released the lock with it.
    }
  }

 private:
  pq::Connection& c_;
};

struct Applied {
  std::string name;
  std::string checksum;
};

std::map<int, Applied> applied_migrations(pq::Connection& c) {
  std::map<int, Applied> applied;
  auto rows = c.exec("SELECT version, name, checksum FROM rdpwarden_schema ORDER BY version");
  for (int i = 0; i < rows.rows(); ++i)
    applied[static_cast<int>(rows.int64(i, 0))] = {rows.text(i, 1), rows.text(i, 2)};
  return applied;
}

void check_applied(const std::map<int, Applied>& applied) {
  auto known = embedded_migrations();
  int newest = applied.empty() ? 0 : applied.rbegin()->first;
  if (newest > latest_schema_version())
    throw SchemaMismatch(fmt::format(
        "the database schema is at version {} but this rdpwarden knows only up to version {}: "
        "it was written by a newer rdpwarden; upgrade rdpwarden",
        newest, latest_schema_version()));
  for (const auto& [version, row] : applied) {
    const auto& m = known[static_cast<std::size_t>(version - 1)];
    if (crypto::sha256_hex(m.sql) != row.checksum)
      throw SchemaMismatch(fmt::format(
          "migration {} differs from the one applied to this database (checksum mismatch)",
          m.name));
  }
}

}  // namespace

int latest_schema_version() {
  return static_cast<int>(embedded_migrations().size());
}

int current_schema_version(Database& db) {
  auto& c = db.connection();
  auto exists = c.exec("SELECT to_regclass('rdpwarden_schema') IS NOT NULL");
  if (!exists.boolean(0, 0)) return 0;
  return static_cast<int>(
      c.exec("SELECT coalesce(max(version), 0) FROM rdpwarden_schema").int64(0, 0));
}

MigrationReport migrate(Database& db) {
  auto& c = db.connection();
  if (c.in_transaction()) throw StorageError("migrations cannot run inside a transaction");
  MigrationLock lock(c);
  c.exec(kCreateSchemaTable);
  auto applied = applied_migrations(c);
  check_applied(applied);

  MigrationReport report;
  report.from_version = applied.empty() ? 0 : applied.rbegin()->first;
  report.to_version = report.from_version;
  for (const auto& m : embedded_migrations()) {
    if (applied.count(m.version)) continue;
    try {
      Transaction tx(c);
      c.exec_script(std::string(m.sql));
      c.exec("INSERT INTO rdpwarden_schema (version, name, checksum) VALUES ($1, $2, $3)",
             {m.version, m.name, crypto::sha256_hex(m.sql)});
      tx.commit();
    } catch (const Unavailable&) {
      throw;
    } catch (const StorageError& e) {
      throw StorageError(fmt::format("migration {} failed: {}", m.name, e.what()), e.sqlstate());
    }
    report.applied.emplace_back(m.name);
    report.to_version = m.version;
  }
  return report;
}

}  // namespace rdpwarden::storage
