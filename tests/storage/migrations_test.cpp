// Migrations against a real PostgreSQL: from empty, re-run, concurrent, and a newer database.
#include <thread>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/migrations.hpp>

#include "support/postgres.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;

namespace {
storage::Database connect(const std::string& conninfo) {
  return storage::Database::connect(conninfo, nullptr);
}
}  // namespace

TEST_CASE("migrations build the schema on an empty database and record each version") {
  auto& pg = PostgresServer::shared();
  auto conninfo = pg.create_database();
  auto db = connect(conninfo);
  CHECK(storage::current_schema_version(db) == 0);

  auto report = storage::migrate(db);
  CHECK(report.from_version == 0);
  CHECK(report.to_version == storage::latest_schema_version());
  REQUIRE(report.applied.size() == static_cast<std::size_t>(storage::latest_schema_version()));
  CHECK(report.applied.front() == "0001_initial");
  CHECK(storage::current_schema_version(db) == storage::latest_schema_version());

  auto name = PostgresServer::database_of(conninfo);
  auto tables = pg.psql(name,
                        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                        "WHERE schemaname = 'public'");
  REQUIRE(tables.exit_code == 0);
  CHECK(tables.out ==
        "accounts,audit_log,events,grants,rdpwarden_schema,segments,sessions,targets,users\n");
  auto recorded = pg.psql(name, "SELECT version, name, length(checksum) FROM rdpwarden_schema");
  CHECK(recorded.out == "1|0001_initial|64\n");
}

TEST_CASE("re-running migrations is a no-op") {
  auto& pg = PostgresServer::shared();
  auto conninfo = pg.create_database();
  auto db = connect(conninfo);
  storage::migrate(db);
  auto name = PostgresServer::database_of(conninfo);
  auto before = pg.psql(name, "SELECT applied_at FROM rdpwarden_schema");

  auto again = storage::migrate(db);
  CHECK(again.applied.empty());
  CHECK(again.from_version == again.to_version);
  auto other = connect(conninfo);
  CHECK(storage::migrate(other).applied.empty());
  CHECK(pg.psql(name, "SELECT applied_at FROM rdpwarden_schema").out == before.out);
}

TEST_CASE("two processes migrating at once apply each migration once") {
  auto& pg = PostgresServer::shared();
  auto conninfo = pg.create_database();
  std::vector<storage::MigrationReport> reports(4);
  std::vector<std::string> errors(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        auto db = connect(conninfo);
        reports[i] = storage::migrate(db);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads)
    t.join();
  std::size_t applied = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    CHECK(errors[i].empty());
    applied += reports[i].applied.size();
  }
  CHECK(applied == static_cast<std::size_t>(storage::latest_schema_version()));
}

TEST_CASE("a database written by a newer rdpwarden is refused with a clear message") {
  auto& pg = PostgresServer::shared();
  auto conninfo = pg.create_database();
  auto db = connect(conninfo);
  storage::migrate(db);
  auto name = PostgresServer::database_of(conninfo);
  int future = storage::latest_schema_version() + 1;
  REQUIRE(pg.psql(name, "INSERT INTO rdpwarden_schema (version, name, checksum) VALUES (" +
                            std::to_string(future) + ", 'from_the_future', 'x')")
              .exit_code == 0);
  try {
    storage::migrate(db);
    FAIL("a newer schema was accepted");
  } catch (const storage::SchemaMismatch& e) {
    std::string message = e.what();
    CHECK(message.find("version " + std::to_string(future)) != std::string::npos);
    CHECK(message.find("newer rdpwarden") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("a migration changed after it was applied is refused") {
  auto& pg = PostgresServer::shared();
  auto conninfo = pg.create_database();
  auto db = connect(conninfo);
  storage::migrate(db);
  REQUIRE(pg.psql(PostgresServer::database_of(conninfo),
                  "UPDATE rdpwarden_schema SET checksum = 'tampered' WHERE version = 1")
              .exit_code == 0);
  CHECK_THROWS_WITH(storage::migrate(db),
                    Catch::Contains("0001_initial differs from the one applied"));
}

TEST_CASE("a migration that fails leaves the database as it was") {
  auto& pg = PostgresServer::shared();
  auto conninfo = pg.create_database();
  auto name = PostgresServer::database_of(conninfo);
  // A table the first migration creates already exists: migration 1 fails half-way.
  REQUIRE(pg.psql(name, "CREATE TABLE sessions (x int)").exit_code == 0);
  auto db = connect(conninfo);
  CHECK_THROWS_WITH(storage::migrate(db), Catch::Contains("migration 0001_initial failed"));
  CHECK(storage::current_schema_version(db) == 0);
  CHECK(pg.psql(name, "SELECT to_regclass('users') IS NULL").out == "t\n");
}
