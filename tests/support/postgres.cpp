#include "support/postgres.hpp"
#include <csignal>
#include <fstream>
#include <pwd.h>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <fmt/format.h>

namespace rdpwarden::test {
namespace {

constexpr const char* kSuperuser = "rdpwarden";

std::string tail_of(const std::filesystem::path& file, std::size_t max_bytes = 2000) {
  std::ifstream in(file);
  std::stringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

void give_to(const std::filesystem::path& path, const std::string& user) {
  if (user.empty()) return;
  struct passwd* pw = getpwnam(user.c_str());
  if (!pw) throw std::runtime_error("no system user " + user + " (run deploy/install-deps.sh)");
  if (chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    throw std::runtime_error("cannot chown " + path.string());
}

// postmaster.pid's 8th line is the server status; "ready" once it accepts connections.
bool server_ready(const std::filesystem::path& data_dir) {
  std::ifstream in(data_dir / "postmaster.pid");
  std::string line;
  for (int i = 0; i < 8 && std::getline(in, line); ++i) {
  }
  return line.rfind("ready", 0) == 0;
}

RunOptions with_timeout(std::chrono::milliseconds timeout) {
  RunOptions options;
  options.timeout = timeout;
  return options;
}

}  // namespace

std::filesystem::path PostgresServer::bin_dir() {
  return "/usr/lib/postgresql/15/bin";
}

std::string PostgresServer::server_os_user() {
  return geteuid() == 0 ? "rdpwarden" : "";
}

std::vector<std::string> PostgresServer::as_server_user(std::vector<std::string> argv) const {
  // If the test process dies, the kernel sends the server SIGINT: a fast shutdown, which also
  // ends sessions that orphans of the test still hold (SIGTERM would wait for them forever).
  std::vector<std::string> prefix{"setpriv", "--pdeathsig", "INT"};
  if (auto user = server_os_user(); !user.empty()) {
    prefix.push_back("--reuid=" + user);
    prefix.push_back("--regid=" + user);
    prefix.push_back("--clear-groups");
  }
  prefix.insert(prefix.end(), argv.begin(), argv.end());
  return prefix;
}

PostgresServer::PostgresServer() {
  data_dir_ = dir_ / "data";
  socket_dir_ = dir_ / "sock";
  log_file_ = dir_ / "postgres.log";
  std::filesystem::create_directories(socket_dir_);
  std::filesystem::permissions(socket_dir_, std::filesystem::perms::owner_all);
  give_to(dir_.path(), server_os_user());
  give_to(socket_dir_, server_os_user());
  auto init = run(as_server_user({(bin_dir() / "initdb").string(), "-D", data_dir_.string(), "-U",
                                  kSuperuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                                  "--no-sync", "--no-instructions"}),
                  with_timeout(std::chrono::seconds(120)));
  if (init.exit_code != 0) throw std::runtime_error("initdb failed: " + init.err.substr(0, 2000));
  start();
}

PostgresServer::~PostgresServer() {
  stop();
}

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

void PostgresServer::start() {
  if (running()) return;
  server_ =
      Process(as_server_user({(bin_dir() / "postgres").string(), "-D", data_dir_.string(), "-k",
                              socket_dir_.string(), "-c", "listen_addresses=", "-c", "fsync=off",
                              "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
                              "max_connections=60", "-c", "shared_buffers=16MB"}),
              RunOptions{}, log_file_);
  bool ok = wait_until([&] { return !server_.running() || server_ready(data_dir_); },
                       std::chrono::seconds(60));
  if (!ok || !server_.running()) {
    server_.stop();
    throw std::runtime_error("postgres did not start: " + tail_of(log_file_));
  }
}

void PostgresServer::stop() {
  // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, the data is consistent.
  if (server_.pid() > 0) server_.stop(SIGINT, std::chrono::seconds(30));
}

bool PostgresServer::running() {
  return server_.pid() > 0 && server_.running();
}

std::string PostgresServer::conninfo(std::string_view database) const {
  return fmt::format("host={} port=5432 user={} dbname={}", socket_dir_.string(), kSuperuser,
                     database);
}

std::string PostgresServer::url(std::string_view database) const {
  return fmt::format("postgresql://{}@/{}?host={}", kSuperuser, database, socket_dir_.string());
}

std::string PostgresServer::database_of(std::string_view conninfo) {
  auto at = conninfo.find("dbname=");
  if (at == std::string_view::npos) return {};
  auto name = conninfo.substr(at + 7);
  return std::string(name.substr(0, name.find(' ')));
}

std::string PostgresServer::create_database() {
  std::string name = fmt::format("t{}_{}", getpid(), ++databases_);
  auto r = psql("postgres", fmt::format("CREATE DATABASE {}", name));
  if (r.exit_code != 0) throw std::runtime_error("CREATE DATABASE failed: " + r.err);
  return conninfo(name);
}

RunResult PostgresServer::client(const std::string& program, std::string_view database,
                                 const std::vector<std::string>& args) const {
  std::vector<std::string> argv{
      (bin_dir() / program).string(), "-h", socket_dir_.string(), "-U", kSuperuser, "-d",
      std::string(database)};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.env["PGCONNECT_TIMEOUT"] = "10";
  return run(argv, options);
}

RunResult PostgresServer::psql(std::string_view database, std::string_view sql) const {
  return client("psql", database,
                {"-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", std::string(sql)});
}

}  // namespace rdpwarden::test
