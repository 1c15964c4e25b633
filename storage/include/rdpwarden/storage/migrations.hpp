#pragma once
// Schema migrations: numbered SQL files (storage/migrations/NNNN_name.sql) embedded in the
// binary, applied in order at start-up, each in its own transaction, recorded with a checksum
// in the table rdpwarden_schema. Concurrent starters serialize on an advisory lock, so a CLI
// and `serve` starting together apply each migration once.

#include <string>
#include <vector>

namespace rdpwarden::storage {

class Database;

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // "0001_initial", …
};

// Brings the schema up to latest_schema_version(). Throws SchemaMismatch when the database was
// written by a newer rdpwarden or an applied migration's text changed.
MigrationReport migrate(Database& db);

// 0 for an empty database.
int current_schema_version(Database& db);
int latest_schema_version();

}  // namespace rdpwarden::storage
