// The connection pool under several threads, against a real PostgreSQL.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include <rdpwarden/storage/connection_pool.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;

TEST_CASE("many threads share a few connections") {
  StorageFixture f;
  auto user = f.db.users().add("ops1", storage::Role::user, "pw").id;
  auto target = f.db.targets().add({"srv01", "10.0.0.1", 3389, ""}).id;
  storage::ConnectionPool pool(f.conninfo, f.keys, 3);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      try {
        for (int i = 0; i < 10; ++i) {
          auto lease = pool.acquire();
          auto id = lease->sessions().create(new_session(user, target));
          lease->events().append(id, std::vector<storage::EventRecord>{{1, "key", ""}});
        }
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  CHECK(failures == 0);
  CHECK(pool.open_connections() <= 3);
  storage::SessionFilter all;
  CHECK(f.db.sessions().list(all).total == 80);
}

TEST_CASE("a busy pool times out with a clear error") {
  StorageFixture f;
  storage::ConnectionPool pool(f.conninfo, f.keys, 1);
  auto held = pool.acquire();
  CHECK_THROWS_MATCHES(pool.acquire(std::chrono::milliseconds(100)), storage::Unavailable,
                       Catch::Message("database unavailable: every pooled connection stayed busy"));
}

TEST_CASE("after the database restarts, the pool hands out working connections") {
  StorageFixture f;
  storage::ConnectionPool pool(f.conninfo, f.keys, 1);
  { pool.acquire()->targets().add({"srv01", "10.0.0.1", 3389, ""}); }
  auto& pg = PostgresServer::shared();
  pg.stop();
  pg.start();
  // The idle connection died with the old server; the pool notices and opens a new one.
  CHECK(pool.acquire()->targets().find("srv01"));
  CHECK(pool.open_connections() == 1);
}

TEST_CASE("a pool whose database is down fails fast and recovers when it is back") {
  StorageFixture f;
  storage::ConnectionPool pool(f.conninfo, f.keys, 2);
  auto& pg = PostgresServer::shared();
  pg.stop();
  CHECK_THROWS_WITH(pool.acquire(), Catch::StartsWith("database unavailable: "));
  CHECK(pool.open_connections() == 0);
  pg.start();
  CHECK(pool.acquire()->targets().list().empty());
}
