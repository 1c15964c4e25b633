// Storage figures for the report (not a test): run build/<dir>/tests/storage/storage_bench.
// Uses the same private PostgreSQL fixture as the tests (fsync off) and a temp dir.
#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include <rdpwarden/storage/credentials.hpp>
#include <rdpwarden/storage/embedded_cluster.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using Clock = std::chrono::steady_clock;

namespace {

template <typename F>
double millis(F&& work, int repeat = 1) {
  auto start = Clock::now();
  for (int i = 0; i < repeat; ++i)
    work();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / repeat;
}

void crypto_figures(StorageFixture& f) {
  fmt::print("scrypt web password hash: {:.1f} ms\n",
             millis([] { storage::hash_web_password("correct horse battery"); }, 5));
  fmt::print("NT hash: {:.3f} ms\n", millis([] { storage::nt_hash("correct horse"); }, 200));
  auto sealed = f.keys->seal("account:1:password", std::as_bytes(std::span("T4rget-password", 15)));
  fmt::print("seal + unseal: {:.3f} ms\n",
             millis(
                 [&] {
                   f.keys->unseal("account:1:password",
                                  f.keys->seal("account:1:password",
                                               std::as_bytes(std::span("T4rget-password", 15))));
                 },
                 1000));
}

void session_figures(StorageFixture& f) {
  auto user = f.db.users().add("ops1", storage::Role::user, "pw").id;
  auto target = f.db.targets().add({"srv01", "10.0.0.1", 3389, ""}).id;
  std::vector<std::string> ids;
  double create =
      millis([&] { ids.push_back(f.db.sessions().create(new_session(user, target))); }, 2000);
  fmt::print("session create: {:.2f} ms each (2000 sessions)\n", create);
  std::vector<storage::EventRecord> batch;
  for (int i = 0; i < 100; ++i)
    batch.push_back(
        {i * 100, i % 10 ? "key" : "text",
         i % 10 ? R"({"sc": 30, "down": true, "text": "a"})"
                : fmt::format(R"({{"line": "sudo systemctl restart svc{}", "end": "enter"}})", i)});
  std::size_t next = 0;
  double append = millis([&] { f.db.events().append(ids[next++ % ids.size()], batch); }, 500);
  fmt::print("event append: {:.2f} ms per batch of 100 ({:.0f} events/s)\n", append,
             100 * 1000 / append);
  storage::SessionFilter page;
  page.limit = 50;
  fmt::print("session list, page of 50 of {} with total: {:.2f} ms\n", ids.size(),
             millis([&] { f.db.sessions().list(page); }, 50));
  page.text = "svc7";
  fmt::print("session list by typed text (50,000 events): {:.2f} ms\n",
             millis([&] { f.db.sessions().list(page); }, 50));
  storage::EventQuery query;
  fmt::print("events of one session (100): {:.2f} ms\n",
             millis([&] { f.db.events().list(ids[0], query); }, 200));
}

void cluster_figures() {
  TempDir dir{"rdpwarden-bench-cluster"};
  storage::EmbeddedClusterOptions options;
  options.dir = dir / "pg";
  std::unique_ptr<storage::EmbeddedCluster> cluster;
  fmt::print("embedded cluster, first start (initdb + start): {:.0f} ms\n",
             millis([&] { cluster = storage::EmbeddedCluster::start(options); }));
  std::unique_ptr<storage::EmbeddedCluster> second;
  fmt::print("embedded cluster, join a running one: {:.0f} ms\n",
             millis([&] { second = storage::EmbeddedCluster::start(options); }));
  second->leave();
  fmt::print("embedded cluster, stop: {:.0f} ms\n", millis([&] { cluster->leave(); }));
  fmt::print("embedded cluster, start an initialized one: {:.0f} ms\n",
             millis([&] { cluster = storage::EmbeddedCluster::start(options); }));
  cluster->leave();
}

}  // namespace

int main() {
  StorageFixture f;
  crypto_figures(f);
  session_figures(f);
  cluster_figures();
  return 0;
}
