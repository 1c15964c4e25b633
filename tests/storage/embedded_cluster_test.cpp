// The embedded PostgreSQL cluster: first start, sharing between processes, kill -9, stale
// pid files, long paths. Every postmaster a test leaves behind is stopped by PID.
#include <csignal>
#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/embedded_cluster.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/migrations.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

std::optional<pid_t> postmaster_pid(const std::filesystem::path& pg_dir) {
  std::ifstream in(pg_dir / "data/postmaster.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

// Alive and not a zombie (this machine's PID 1 may not reap the daemonized postmaster).
bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

// initdb costs seconds on a busy machine: one test proves the first start; the others start
// from a copy of a cluster initialized once per test process.
const std::filesystem::path& template_cluster() {
  static TempDir dir{"rdpwarden-cluster-template"};
  static bool made = [] {
    storage::EmbeddedClusterOptions o;
    o.dir = dir / "pg";
    storage::EmbeddedCluster::start(o)->leave();
    return true;
  }();
  static const std::filesystem::path path = dir / "pg/data";
  (void)made;
  return path;
}

// Whatever happens in a test, the cluster it started does not outlive it.
struct ClusterDir {
  enum class Start { fresh, from_template };
  explicit ClusterDir(Start start = Start::from_template) {
    if (start == Start::fresh) return;
    std::filesystem::create_directories(pg);
    auto r = run({"cp", "-a", template_cluster().string(), (pg / "data").string()});
    REQUIRE(r.exit_code == 0);
  }
  TempDir dir{"rdpwarden-cluster"};
  std::filesystem::path pg = dir / "pg";
  storage::EmbeddedClusterOptions options() const {
    storage::EmbeddedClusterOptions o;
    o.dir = pg;
    return o;
  }
  ~ClusterDir() {
    auto pid = postmaster_pid(pg);
    if (!pid || !alive(*pid)) return;
    ::kill(*pid, SIGINT);  // fast shutdown
    if (!wait_until([&] { return !alive(*pid); }, 30s)) ::kill(*pid, SIGKILL);
  }
};

bool serves(storage::EmbeddedCluster& cluster) {
  auto db = storage::Database::connect(cluster.conninfo(), nullptr);
  storage::migrate(db);
  return storage::current_schema_version(db) == storage::latest_schema_version();
}

}  // namespace

TEST_CASE("the embedded cluster is created on first use and stopped by its last user") {
  ClusterDir d(ClusterDir::Start::fresh);
  auto cluster = storage::EmbeddedCluster::start(d.options());
  CHECK(std::filesystem::exists(d.pg / "data/PG_VERSION"));
  CHECK(cluster->socket_dir() == d.pg / "run");
  struct stat st {};
  REQUIRE(::stat(d.pg.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat(cluster->socket_dir().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  if (::geteuid() == 0) CHECK(st.st_uid != 0);  // PostgreSQL runs as the rdpwarden user
  CHECK(serves(*cluster));
  auto db = storage::Database::connect(cluster->conninfo(), nullptr);
  CHECK(db.users().list().empty());

  auto pid = postmaster_pid(d.pg);
  REQUIRE(pid);
  CHECK(alive(*pid));
  CHECK(cluster->leave());
  CHECK_FALSE(alive(*pid));
  CHECK_FALSE(std::filesystem::exists(d.pg / "data/postmaster.pid"));
  CHECK_FALSE(cluster->leave());  // idempotent

  // The next start reuses the cluster and its data.
  auto again = storage::EmbeddedCluster::start(d.options());
  CHECK(storage::current_schema_version(*std::make_unique<storage::Database>(
            storage::Database::connect(again->conninfo(), nullptr))) ==
        storage::latest_schema_version());
  CHECK(again->leave());
}

TEST_CASE("a second user joins the running cluster, which stops when both have left") {
  ClusterDir d;
  auto serve = storage::EmbeddedCluster::start(d.options());
  auto pid = postmaster_pid(d.pg);
  auto cli = storage::EmbeddedCluster::start(d.options());
  CHECK(postmaster_pid(d.pg) == pid);
  CHECK(serves(*cli));
  CHECK_FALSE(cli->leave());  // serve still uses it
  REQUIRE(pid);
  CHECK(alive(*pid));
  auto db = storage::Database::connect(serve->conninfo(), nullptr);
  CHECK(db.users().list().empty());
  CHECK(serve->leave());
  CHECK_FALSE(alive(*pid));
}

TEST_CASE("several processes starting at once share one cluster") {
  ClusterDir d;
  std::vector<std::string> errors(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        auto cluster = storage::EmbeddedCluster::start(d.options());
        auto db = storage::Database::connect(cluster->conninfo(), nullptr);
        storage::migrate(db);
        cluster->leave();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads)
    t.join();
  for (const auto& e : errors)
    CHECK(e.empty());
  auto pid = postmaster_pid(d.pg);
  CHECK((!pid || !alive(*pid)));  // the last one out stopped it
}

TEST_CASE("after a kill -9 of its user the cluster keeps running and the next start joins it") {
  ClusterDir d;
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The "serve" that will be killed: joins the cluster, reports, waits to die.
    ::close(ready[0]);
    char ok = 'n';
    try {
      auto cluster = storage::EmbeddedCluster::start(d.options());
      ok = 'y';
      (void)!::write(ready[1], &ok, 1);
      ::pause();
    } catch (...) {
      (void)!::write(ready[1], &ok, 1);
    }
    ::_exit(1);
  }
  ::close(ready[1]);
  char ok = 0;
  REQUIRE(::read(ready[0], &ok, 1) == 1);
  ::close(ready[0]);
  REQUIRE(ok == 'y');
  auto pid = postmaster_pid(d.pg);
  REQUIRE(pid);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(alive(*pid));  // PostgreSQL outlives the process that started it

  auto next = storage::EmbeddedCluster::start(d.options());
  CHECK(postmaster_pid(d.pg) == pid);  // joined, not restarted
  CHECK(serves(*next));
  CHECK(next->leave());  // the killed process no longer holds its lock: the cluster stops
  CHECK_FALSE(alive(*pid));
}

TEST_CASE("after PostgreSQL itself was killed, its stale postmaster.pid does not block a start") {
  ClusterDir d;
  auto first = storage::EmbeddedCluster::start(d.options());
  CHECK(serves(*first));
  auto pid = postmaster_pid(d.pg);
  REQUIRE(pid);
  ::kill(*pid, SIGKILL);
  REQUIRE(wait_until([&] { return !alive(*pid); }, 10s));
  REQUIRE(std::filesystem::exists(d.pg / "data/postmaster.pid"));
  CHECK_FALSE(first->leave());  // nothing left to stop

  auto second = storage::EmbeddedCluster::start(d.options());
  CHECK(postmaster_pid(d.pg) != pid);
  CHECK(serves(*second));
  CHECK(second->leave());
}

TEST_CASE("a postmaster.pid naming a live process that is not PostgreSQL is stale") {
  ClusterDir d;
  storage::EmbeddedCluster::start(d.options())->leave();
  // After a reboot the old PID may belong to anything; here, to the test itself.
  {
    std::ofstream(d.pg / "data/postmaster.pid")
        << ::getpid() << "\n"
        << (d.pg / "data").string() << "\n1700000000\n5432\n\n\n0 0\nready\n";
  }
  auto cluster = storage::EmbeddedCluster::start(d.options());
  CHECK(postmaster_pid(d.pg) != ::getpid());
  CHECK(serves(*cluster));
  CHECK(cluster->leave());
}

TEST_CASE("a data directory too deep for a Unix socket path gets a private socket dir in /tmp") {
  ClusterDir d(ClusterDir::Start::fresh);
  auto deep = d.dir / std::string(60, 'd') / std::string(60, 'e') / "pg";
  std::filesystem::create_directories(deep);
  REQUIRE(run({"cp", "-a", template_cluster().string(), (deep / "data").string()}).exit_code == 0);
  std::filesystem::permissions(deep.parent_path(), std::filesystem::perms(0755));
  std::filesystem::permissions(deep.parent_path().parent_path(), std::filesystem::perms(0755));
  storage::EmbeddedClusterOptions options;
  options.dir = deep;
  auto cluster = storage::EmbeddedCluster::start(options);
  auto socket_dir = cluster->socket_dir();
  CHECK(socket_dir.string().rfind("/tmp/rdpwarden-pg-", 0) == 0);
  struct stat st {};
  REQUIRE(::lstat(socket_dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(serves(*cluster));
  // The same data directory always maps to the same socket directory.
  auto second = storage::EmbeddedCluster::start(options);
  CHECK(second->socket_dir() == socket_dir);
  CHECK_FALSE(second->leave());
  CHECK(cluster->leave());
  d.pg = deep;  // for the guard
  std::filesystem::remove_all(socket_dir);
}

TEST_CASE("an unusable cluster user or directory is one clear error") {
  ClusterDir d(ClusterDir::Start::fresh);
  if (::geteuid() != 0) {
    // Not root: the cluster runs as ourselves, whatever name is configured.
    auto options = d.options();
    options.os_user = "no-such-user-rdpw";
    CHECK(storage::EmbeddedCluster::start(options)->leave());
    return;
  }
  auto options = d.options();
  options.os_user = "no-such-user-rdpw";
  CHECK_THROWS_MATCHES(storage::EmbeddedCluster::start(options), storage::Unavailable,
                       Catch::Message("the embedded PostgreSQL cannot run as root and the system "
                                      "user no-such-user-rdpw does not exist (create it: useradd "
                                      "--system --no-create-home --shell /usr/sbin/nologin "
                                      "no-such-user-rdpw)"));
  auto closed = d.dir / "closed";
  std::filesystem::create_directories(closed);
  std::filesystem::permissions(closed, std::filesystem::perms(0700));
  storage::EmbeddedClusterOptions hidden;
  hidden.dir = closed / "pg";
  CHECK_THROWS_WITH(storage::EmbeddedCluster::start(hidden),
                    Catch::Contains("rdpwarden cannot enter " + hidden.dir.string()) &&
                        Catch::Contains("searchable by rdpwarden"));
  storage::EmbeddedClusterOptions no_binaries = d.options();
  no_binaries.bin_dir = d.dir / "nowhere";
  CHECK_THROWS_WITH(storage::EmbeddedCluster::start(no_binaries),
                    Catch::Contains("install the postgresql-15 package"));
}
