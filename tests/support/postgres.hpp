#pragma once
// A private PostgreSQL 15 cluster for tests: initdb into a temp dir, `postgres` started as a
// child of the test (as the unprivileged system user `rdpwarden` when the test runs as root,
// since PostgreSQL refuses root), listening only on a Unix socket inside the temp dir, stopped
// by PID (fast shutdown) and removed when the fixture goes. If the test process dies, the
// kernel sends the server SIGINT (parent-death signal, a fast shutdown that also disconnects
// any orphaned clients), so nothing outlives a crash.
//
//   auto& pg = PostgresServer::shared();        // one cluster per test process
//   std::string conninfo = pg.create_database(); // a fresh, empty database per test

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

class PostgresServer {
 public:
  PostgresServer();  // initdb + start; throws std::runtime_error with the server log's tail
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Started on first use, stopped at process exit.
  static PostgresServer& shared();

  // Creates an empty database and returns a libpq connection string for it.
  std::string create_database();
  // Connection string / URL for an existing database.
  std::string conninfo(std::string_view database) const;
  std::string url(std::string_view database) const;
  // The database name inside a conninfo that create_database() returned.
  static std::string database_of(std::string_view conninfo);

  void stop();   // fast shutdown, by PID; the data stays
  void start();  // again, after stop()
  bool running();
  pid_t pid() const { return server_.pid(); }
  const std::filesystem::path& socket_dir() const { return socket_dir_; }
  const std::filesystem::path& log_file() const { return log_file_; }

  // Runs a PostgreSQL client program (psql, pg_dump, …) against `database` as the superuser.
  RunResult client(const std::string& program, std::string_view database,
                   const std::vector<std::string>& args) const;
  // psql -c SQL, stopping at the first error; returns unaligned, tuples-only output.
  RunResult psql(std::string_view database, std::string_view sql) const;

  // PostgreSQL 15's binaries and the OS user servers run as ("" when not root).
  static std::filesystem::path bin_dir();
  static std::string server_os_user();

 private:
  std::vector<std::string> as_server_user(std::vector<std::string> argv) const;

  TempDir dir_{"rdpwarden-pg"};
  std::filesystem::path data_dir_;
  std::filesystem::path socket_dir_;
  std::filesystem::path log_file_;
  Process server_;
  int databases_ = 0;
};

}  // namespace rdpwarden::test
