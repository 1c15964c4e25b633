// The audit log: written and read through storage, and append-only in the database itself.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;
using storage::ActorKind;
using storage::AuditAction;

namespace {
storage::AuditRecord record(std::string actor, ActorKind kind, AuditAction action,
                            std::string object, std::string details = "") {
  storage::AuditRecord r;
  r.actor = std::move(actor);
  r.actor_kind = kind;
  r.action = action;
  r.object = std::move(object);
  r.details_json = std::move(details);
  return r;
}
}  // namespace

TEST_CASE("audit entries are appended and listed newest first, with filters") {
  StorageFixture f;
  auto audit = f.db.audit();
  audit.append(
      record("root", ActorKind::cli, AuditAction::user_add, "user ops1", R"({"role": "admin"})"));
  auto login = record("auditor1", ActorKind::web, AuditAction::login_ok, "user auditor1");
  login.client_address = "2001:db8::7";
  audit.append(login);
  audit.append(record("auditor1", ActorKind::web, AuditAction::session_play, "session x"));

  auto page = audit.list();
  CHECK(page.total == 3);
  REQUIRE(page.entries.size() == 3);
  CHECK(page.entries[0].action == AuditAction::session_play);
  CHECK(page.entries[1].client_address == "2001:db8::7");
  CHECK(page.entries[2].details_json == R"({"role": "admin"})");
  CHECK(page.entries[2].actor_kind == ActorKind::cli);

  storage::AuditFilter filter;
  filter.actor = "AUDITOR1";
  CHECK(audit.list(filter).total == 2);
  filter.actions = {AuditAction::login_ok, AuditAction::login_fail};
  CHECK(audit.list(filter).total == 1);
  storage::AuditFilter paged;
  paged.limit = 1;
  paged.offset = 1;
  auto one = audit.list(paged);
  CHECK(one.total == 3);
  REQUIRE(one.entries.size() == 1);
  CHECK(one.entries[0].action == AuditAction::login_ok);

  CHECK_THROWS_AS(audit.append(record("x", ActorKind::cli, AuditAction::user_add, "", "[]")),
                  storage::InvalidInput);
  CHECK_THROWS_AS(audit.append(record("", ActorKind::cli, AuditAction::user_add, "")),
                  storage::InvalidInput);
}

TEST_CASE("the database refuses UPDATE, DELETE and TRUNCATE on the audit log") {
  StorageFixture f;
  f.db.audit().append(record("root", ActorKind::cli, AuditAction::user_add, "user ops1"));
  auto& pg = PostgresServer::shared();
  // As the database superuser, with a plain SQL client: the refusal is the database's own.
  for (const char* sql :
       {"UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log", "TRUNCATE audit_log"}) {
    INFO(sql);
    auto r = pg.psql(f.database(), sql);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("the audit log is append-only") != std::string::npos);
  }
  auto rows = pg.psql(f.database(), "SELECT actor, action FROM audit_log");
  CHECK(rows.out == "root|user.add\n");
  CHECK(f.db.audit().list().total == 1);
}
