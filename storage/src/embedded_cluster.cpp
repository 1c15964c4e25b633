#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <libpq-fe.h>

#include <rdpwarden/storage/embedded_cluster.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "cluster/file_lock.hpp"
#include "cluster/os_user.hpp"
#include "cluster/postmaster.hpp"
#include "cluster/program.hpp"
#include "crypto/sha256.hpp"
#include "fs/files.hpp"
#include "pq/connection.hpp"

namespace rdpwarden::storage {

struct EmbeddedCluster::State {
  EmbeddedClusterOptions options;
  cluster::OsUser user;
  std::filesystem::path bin_dir;
  std::filesystem::path data_dir;
  std::filesystem::path log_file;
  std::filesystem::path socket_dir;
  std::unique_ptr<cluster::FileLock> control;
  std::unique_ptr<cluster::FileLock> users;
  bool joined = false;
};

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxSocketPath = 107;  // sizeof(sockaddr_un::sun_path) - 1
constexpr const char* kSuperuser = "rdpwarden";

std::string quote_conninfo(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string quote_conf(const std::string& value) {
  std::string out = "'";
  for (char c : value)
    out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string conninfo_for(const EmbeddedCluster::State& s, const std::string& database) {
  return fmt::format("host={} port=5432 user={} dbname={} connect_timeout=5",
                     quote_conninfo(s.socket_dir.string()), kSuperuser, quote_conninfo(database));
}

void give_to_user(const std::filesystem::path& path, const cluster::OsUser& user) {
  if (user.switch_to && ::chown(path.c_str(), user.uid, user.gid) != 0)
    throw Unavailable(
        fmt::format("cannot hand {} to {}: {}", path.string(), user.name, std::strerror(errno)));
}

void private_dir_for(const std::filesystem::path& dir, const cluster::OsUser& user) {
  try {
    fs::make_private_dir(dir, 0700);
  } catch (const std::system_error& e) {
    throw Unavailable(fmt::format("embedded PostgreSQL: {}", e.what()));
  }
  give_to_user(dir, user);
  if (::chmod(dir.c_str(), 0700) != 0)
    throw Unavailable(fmt::format("cannot chmod {}: {}", dir.string(), std::strerror(errno)));
}

std::filesystem::path find_bin_dir(const EmbeddedClusterOptions& options) {
  std::filesystem::path dir = options.bin_dir.empty()
                                  ? std::filesystem::path("/usr/lib/postgresql/15/bin")
                                  : options.bin_dir;
  std::error_code ec;
  for (const char* program : {"initdb", "pg_ctl", "postgres"})
    if (!std::filesystem::exists(dir / program, ec))
      throw Unavailable(fmt::format(
          "PostgreSQL 15's server programs are not in {} (install the postgresql-15 package, or "
          "set database.url)",
          dir.string()));
  return dir;
}

// <dir>/run when the socket path fits in sun_path; else a private directory under /tmp named
// after <dir>, which must be ours and closed to everyone else.
std::filesystem::path choose_socket_dir(const std::filesystem::path& dir,
                                        const cluster::OsUser& user) {
  auto preferred = dir / "run";
  if ((preferred / ".s.PGSQL.5432.lock").string().size() <= kMaxSocketPath) {
    private_dir_for(preferred, user);
    return preferred;
  }
  auto fallback = std::filesystem::path("/tmp") /
                  ("rdpwarden-pg-" + crypto::sha256_hex(dir.string()).substr(0, 16));
  if (::mkdir(fallback.c_str(), 0700) == 0) {
    give_to_user(fallback, user);
  } else if (errno != EEXIST) {
    throw Unavailable(fmt::format("cannot create {}: {}", fallback.string(), std::strerror(errno)));
  }
  struct stat st {};
  if (::lstat(fallback.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != user.uid ||
      (st.st_mode & 077) != 0)
    throw Unavailable(fmt::format(
        "refusing socket directory {}: it must be a directory owned by {} with mode 0700",
        fallback.string(), user.name));
  return fallback;
}

std::string log_hint(const EmbeddedCluster::State& s) {
  // The most telling line of the server log: its last FATAL, else its last line.
  std::ifstream in(s.log_file);
  std::string line, fatal, last;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last = line;
    if (line.find("FATAL") != std::string::npos) fatal = line;
  }
  std::string pick = fatal.empty() ? last : fatal;
  if (pick.size() > 300) pick = pick.substr(0, 300);
  return pick.empty() ? fmt::format("see {}", s.log_file.string())
                      : fmt::format("{} (see {})", pick, s.log_file.string());
}

cluster::ProgramResult run_pg(const EmbeddedCluster::State& s, const std::string& program,
                              std::vector<std::string> args) {
  args.insert(args.begin(), (s.bin_dir / program).string());
  return cluster::run_program(s.user, args, s.options.dir,
                              s.options.start_timeout + std::chrono::seconds(10));
}

std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  return line.empty() ? "no output" : line;
}

void initdb_if_needed(EmbeddedCluster::State& s) {
  std::error_code ec;
  if (std::filesystem::exists(s.data_dir / "PG_VERSION", ec)) {
    std::ifstream in(s.data_dir / "PG_VERSION");
    std::string version;
    in >> version;
    if (version != "15")
      throw Unavailable(fmt::format(
          "the embedded cluster in {} was made by PostgreSQL {}; this rdpwarden runs 15",
          s.data_dir.string(), version));
    return;
  }
  // initdb into a scratch name and rename, so a crash half-way never leaves a half cluster.
  auto scratch = s.options.dir / "data.initdb";
  std::filesystem::remove_all(scratch, ec);
  auto r =
      run_pg(s, "initdb",
             {"-D", scratch.string(), "-U", kSuperuser, "--auth-local=trust",
              "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"});
  if (r.exit_code != 0)
    throw Unavailable(
        fmt::format("initdb of the embedded PostgreSQL failed: {}", first_line(r.output)));
  std::ofstream(scratch / "postgresql.conf", std::ios::app)
      << "\n# rdpwarden writes its settings to rdpwarden.conf at every start.\n"
         "include_if_exists = 'rdpwarden.conf'\n";
  std::filesystem::rename(scratch, s.data_dir, ec);
  if (ec) throw Unavailable(fmt::format("cannot rename {}: {}", scratch.string(), ec.message()));
  fs::sync_dir(s.options.dir);
}

void write_settings(const EmbeddedCluster::State& s) {
  std::string conf = fmt::format(
      "# Written by rdpwarden at every start of its embedded cluster; edits are overwritten.\n"
      "listen_addresses = ''\n"
      "port = 5432\n"
      "unix_socket_directories = {}\n"
      "unix_socket_permissions = 0700\n"
      "max_connections = 100\n"
      "timezone = 'UTC'\n"
      "log_timezone = 'UTC'\n"
      "log_line_prefix = '%m [%p] '\n"
      "log_min_messages = warning\n",
      quote_conf(s.socket_dir.string()));
  auto file = s.data_dir / "rdpwarden.conf";
  try {
    fs::write_atomically(file, conf, 0600);
  } catch (const std::system_error& e) {
    throw Unavailable(fmt::format("embedded PostgreSQL: {}", e.what()));
  }
  give_to_user(file, s.user);
}

template <typename F>
bool wait_for(std::chrono::seconds timeout, F done) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

bool answers(const EmbeddedCluster::State& s) {
  return PQping(conninfo_for(s, "postgres").c_str()) == PQPING_OK;
}

// A postmaster of ours is running: wait for it to accept connections. False when it went away
// instead (it was shutting down), so the caller starts a new one.
bool join_running(const EmbeddedCluster::State& s) {
  auto deadline = Clock::now() + s.options.start_timeout;
  while (Clock::now() < deadline) {
    if (!cluster::running_postmaster(s.data_dir)) return false;
    if (answers(s)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw Unavailable(
      fmt::format("the embedded PostgreSQL is running but does not answer: {}", log_hint(s)));
}

void start_postmaster(const EmbeddedCluster::State& s) {
  cluster::remove_stale_pid_files(s.data_dir, s.socket_dir);
  auto r = run_pg(s, "pg_ctl",
                  {"start", "-D", s.data_dir.string(), "-l", s.log_file.string(), "-w", "-s", "-t",
                   std::to_string(s.options.start_timeout.count())});
  if (r.exit_code != 0 || !answers(s))
    throw Unavailable(fmt::format("the embedded PostgreSQL did not start: {}", log_hint(s)));
}

void ensure_database(const EmbeddedCluster::State& s) {
  const auto& name = s.options.database;
  if (name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    throw Unavailable(fmt::format("invalid embedded database name '{}'", name));
  auto c = pq::Connection::open(conninfo_for(s, "postgres"));
  if (c->exec("SELECT 1 FROM pg_database WHERE datname = $1", {name}).empty())
    c->exec_script(fmt::format("CREATE DATABASE {}", name));
}

}  // namespace

std::unique_ptr<EmbeddedCluster> EmbeddedCluster::start(const EmbeddedClusterOptions& options) {
  auto s = std::make_unique<State>();
  s->options = options;
  s->options.dir = std::filesystem::absolute(options.dir).lexically_normal();
  s->user = cluster::cluster_user(options.os_user);
  s->bin_dir = find_bin_dir(options);
  s->data_dir = s->options.dir / "data";
  s->log_file = s->options.dir / "log" / "postgresql.log";
  private_dir_for(s->options.dir, s->user);
  private_dir_for(s->options.dir / "log", s->user);
  s->socket_dir = choose_socket_dir(s->options.dir, s->user);

  s->control = std::make_unique<cluster::FileLock>(s->options.dir / "control.lock");
  if (!s->control->lock_exclusive(s->options.start_timeout))
    throw Unavailable(fmt::format(
        "another rdpwarden process kept the embedded PostgreSQL busy for {} s (lock {})",
        s->options.start_timeout.count(), (s->options.dir / "control.lock").string()));
  s->users = std::make_unique<cluster::FileLock>(s->options.dir / "users.lock");
  s->users->lock_shared();
  try {
    initdb_if_needed(*s);
    write_settings(*s);
    if (!cluster::running_postmaster(s->data_dir) || !join_running(*s)) start_postmaster(*s);
    ensure_database(*s);
  } catch (...) {
    s->users.reset();  // not a user after all; the control lock goes with `s`
    throw;
  }
  s->joined = true;
  s->control->unlock();
  return std::unique_ptr<EmbeddedCluster>(new EmbeddedCluster(std::move(s)));
}

EmbeddedCluster::EmbeddedCluster(std::unique_ptr<State> state)
    : state_(std::move(state)), socket_dir_(state_->socket_dir) {}

EmbeddedCluster::~EmbeddedCluster() {
  try {
    leave();
  } catch (const StorageError&) {
    // A destructor cannot report; callers that care call leave() themselves and log.
  }
}

std::string EmbeddedCluster::conninfo() const {
  return conninfo_for(*state_, state_->options.database);
}

const std::filesystem::path& EmbeddedCluster::log_file() const {
  return state_->log_file;
}

bool EmbeddedCluster::leave() {
  auto& s = *state_;
  if (!s.joined) return false;
  s.joined = false;
  if (!s.control->lock_exclusive(s.options.start_timeout)) {
    s.users->unlock();  // cannot coordinate a stop; leave it to the last one out
    return false;
  }
  s.users->unlock();
  bool stopped = false;
  if (s.users->try_lock_exclusive()) {
    // Nobody else uses the cluster (a process that died no longer holds its lock).
    if (auto pid = cluster::running_postmaster(s.data_dir)) {
      auto r = run_pg(s, "pg_ctl",
                      {"stop", "-D", s.data_dir.string(), "-m", "fast", "-w", "-s", "-t",
                       std::to_string(s.options.start_timeout.count())});
      // pg_ctl returns once postmaster.pid is gone, a moment before the process itself; the
      // next start must not meet the old postmaster still exiting.
      bool gone = r.exit_code == 0 && wait_for(s.options.start_timeout, [&] {
                    return !cluster::is_postmaster(*pid, s.data_dir);
                  });
      if (!gone) {
        s.users->unlock();
        s.control->unlock();
        throw Unavailable(fmt::format("the embedded PostgreSQL did not stop: {}",
                                      r.exit_code ? first_line(r.output) : log_hint(s)));
      }
      stopped = true;
    }
    s.users->unlock();
  }
  s.control->unlock();
  return stopped;
}

}  // namespace rdpwarden::storage
