// Failures the administrator meets, as one-line typed errors.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;

TEST_CASE("a database that is not there is Unavailable, in one line") {
  TempDir dir;
  try {
    storage::Database::connect("host=" + dir.path().string() + " dbname=rdpwarden", nullptr);
    FAIL("connected to nothing");
  } catch (const storage::Unavailable& e) {
    std::string message = e.what();
    CHECK(message.rfind("database unavailable: ", 0) == 0);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find('\t') == std::string::npos);
  }
  CHECK_THROWS_AS(storage::Database::connect("postgresql://no-such-host.invalid/x", nullptr),
                  storage::Unavailable);
  CHECK_THROWS_AS(storage::Database::connect("this is not a conninfo", nullptr),
                  storage::Unavailable);
}

TEST_CASE("a database that goes away mid-use is Unavailable, and a new connection works later") {
  StorageFixture f;
  auto& pg = PostgresServer::shared();
  pg.stop();
  CHECK_THROWS_AS(f.db.users().list(), storage::Unavailable);
  CHECK_FALSE(f.db.reusable());
  pg.start();
  CHECK(f.connect().users().list().empty());
}

TEST_CASE("a transaction rolls back unless committed") {
  StorageFixture f;
  {
    auto tx = f.db.begin();
    f.db.targets().add({"srv01", "10.0.0.1", 3389, ""});
    CHECK(f.db.in_transaction());
    CHECK_THROWS_AS(f.db.begin(), storage::StorageError);
  }
  CHECK_FALSE(f.db.in_transaction());
  CHECK_FALSE(f.db.targets().find("srv01"));
  {
    auto tx = f.db.begin();
    f.db.targets().add({"srv01", "10.0.0.1", 3389, ""});
    f.db.audit().append([] {
      storage::AuditRecord r;
      r.actor = "root";
      r.actor_kind = storage::ActorKind::cli;
      r.action = storage::AuditAction::target_add;
      r.object = "target srv01";
      return r;
    }());
    tx.commit();
  }
  CHECK(f.db.targets().find("srv01"));
  CHECK(f.db.audit().list().total == 1);
}

TEST_CASE("a failed statement inside a transaction rolls the whole change back") {
  StorageFixture f;
  f.db.users().add("ops1", storage::Role::user, "pw");
  {
    auto tx = f.db.begin();
    f.db.targets().add({"srv01", "10.0.0.1", 3389, ""});
    CHECK_THROWS_AS(f.db.users().add("ops1", storage::Role::user, "pw"), storage::AlreadyExists);
  }
  CHECK_FALSE(f.db.targets().find("srv01"));
  CHECK(f.db.users().list().size() == 1);
}
