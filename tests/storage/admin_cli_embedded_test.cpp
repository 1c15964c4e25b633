// The admin verbs on the embedded cluster: first run, next to a running server, several at
// once, and after a kill -9. Each test's cluster is gone when it ends (stopped by PID if not).
#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <rdpwarden/storage/embedded_cluster.hpp>

#include "cli_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

std::optional<pid_t> postmaster_pid(const std::filesystem::path& pg) {
  std::ifstream in(pg / "data/postmaster.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

bool postgres_running(const std::filesystem::path& pg) {
  auto pid = postmaster_pid(pg);
  return pid && alive(*pid);
}

// True while some process holds users.lock (i.e. uses the cluster).
bool cluster_in_use(const std::filesystem::path& pg) {
  int fd = ::open((pg / "users.lock").c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

struct EmbeddedCli : CliFixture {
  EmbeddedCli() : CliFixture(Db::embedded) {}
  std::filesystem::path pg = data / "pg";
  ~EmbeddedCli() {
    auto pid = postmaster_pid(pg);
    if (!pid || !alive(*pid)) return;
    ::kill(*pid, SIGINT);
    if (!wait_until([&] { return !alive(*pid); }, 30s)) ::kill(*pid, SIGKILL);
  }
};

}  // namespace

TEST_CASE("the first CLI run sets up the database and key; the cluster stops when it is done") {
  EmbeddedCli f;
  auto add = f.cli({"user", "add", "ops1", "--role", "admin", "--password-stdin"}, "pw\n");
  INFO(add.err);
  CHECK(add.exit_code == 0);
  CHECK(add.err.empty());
  CHECK(std::filesystem::exists(f.pg / "data/PG_VERSION"));
  struct stat st {};
  REQUIRE(::stat((f.data / "keys/master.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(postgres_running(f.pg));  // nobody else needed it

  auto list = f.cli({"user", "list", "--json"});
  CHECK(list.exit_code == 0);
  CHECK(nlohmann::json::parse(list.out)[0]["name"] == "ops1");
  CHECK_FALSE(postgres_running(f.pg));
}

TEST_CASE("the CLI works while a server holds the cluster, and leaves it running") {
  EmbeddedCli f;
  REQUIRE(f.cli({"target", "list"}).exit_code == 0);  // first run: initdb, schema, key
  storage::EmbeddedClusterOptions options;
  options.dir = f.pg;
  auto serve = storage::EmbeddedCluster::start(options);  // stands in for `rdpwarden serve`
  auto pid = postmaster_pid(f.pg);
  REQUIRE(pid);

  CHECK(f.cli({"target", "add", "srv01", "--host", "10.0.0.1"}).exit_code == 0);
  CHECK(f.cli({"target", "list"}).out.find("srv01") != std::string::npos);
  CHECK(postmaster_pid(f.pg) == pid);
  CHECK(alive(*pid));  // still serving
  CHECK(serve->leave());
  CHECK_FALSE(alive(*pid));
}

TEST_CASE("several CLI runs at once share the cluster and the last one stops it") {
  EmbeddedCli f;
  REQUIRE(f.cli({"target", "list"}).exit_code == 0);
  std::vector<RunResult> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] {
      results[i] = f.cli({"target", "add", "srv" + std::to_string(i), "--host", "10.0.0.1"});
    });
  for (auto& t : threads)
    t.join();
  for (const auto& r : results) {
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  CHECK(nlohmann::json::parse(f.cli({"target", "list", "--json"}).out).size() == 4);
  CHECK_FALSE(postgres_running(f.pg));
}

TEST_CASE("after a kill -9 of rdpwarden the cluster keeps running and the next run works") {
  EmbeddedCli f;
  REQUIRE(f.cli({"target", "list"}).exit_code == 0);
  // An rdpwarden that has joined the cluster and then blocks (waiting for a password on a
  // stdin that never comes).
  Process blocked({"sh", "-c",
                   "sleep 600 | exec " + rdpwarden_bin().string() + " --config " +
                       f.config.string() + " user add ops1 --password-stdin"},
                  RunOptions{});
  REQUIRE(wait_until([&] { return cluster_in_use(f.pg) && postgres_running(f.pg); }, 60s));
  auto pid = postmaster_pid(f.pg);
  blocked.kill_hard();  // SIGKILL to sh and its process group, rdpwarden included
  // The kernel drops the dead process's lock (the signal lands asynchronously).
  CHECK(wait_until([&] { return !cluster_in_use(f.pg); }, 10s));
  REQUIRE(pid);
  CHECK(alive(*pid));  // PostgreSQL survived

  auto next = f.cli({"user", "add", "ops1", "--password-stdin"}, "pw\n");
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK_FALSE(postgres_running(f.pg));  // it joined, then stopped the cluster as the last user
  CHECK(f.cli({"user", "list"}).out.find("ops1") != std::string::npos);
}
