#pragma once
// Runs the real `rdpwarden` binary for the admin verbs, in a temp data directory, either on the
// embedded cluster (no config) or on the shared test cluster through database.url.

#include <fstream>
#include <string>
#include <vector>

#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

struct CliFixture {
  enum class Db { embedded, url };
  explicit CliFixture(Db mode = Db::url) {
    if (mode == Db::url) {
      conninfo = PostgresServer::shared().create_database();
      std::ofstream(config) << "data_dir = \"" << data.string() << "\"\n[database]\nurl = \""
                            << conninfo << "\"\n";
    } else {
      std::ofstream(config) << "data_dir = \"" << data.string() << "\"\n";
    }
  }

  // No controlling terminal (setsid), so a missing --password-stdin fails instead of waiting.
  RunResult cli(std::vector<std::string> args, const std::string& stdin_text = "") const {
    args.insert(args.begin(),
                {"setsid", "--wait", rdpwarden_bin().string(), "--config", config.string()});
    RunOptions options;
    options.stdin_text = stdin_text;
    options.timeout = std::chrono::seconds(120);
    return run(args, options);
  }
  std::string database() const { return PostgresServer::database_of(conninfo); }
  RunResult psql(const std::string& sql) const {
    return PostgresServer::shared().psql(database(), sql);
  }

  TempDir dir{"rdpwarden-cli"};
  std::filesystem::path data = dir / "data";
  std::filesystem::path config = dir / "rdpwarden.toml";
  std::string conninfo;
};

inline std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace rdpwarden::test
