#include "supervisor/demo_setup.hpp"

#include <rdpwarden/storage/audit.hpp>

#include "supervisor/demo_target.hpp"

namespace rdpwarden::server::supervisor {
namespace {

void audit(storage::Database& db, storage::AuditAction action, std::string object) {
  storage::AuditRecord record;
  record.actor = "rdpwarden demo";
  record.actor_kind = storage::ActorKind::system;
  record.action = action;
  record.object = std::move(object);
  db.audit().append(record);
}

// A user with a fresh password: added, or its password replaced.
rdp::Secret refresh_user(storage::Database& db, const std::string& name, storage::Role role) {
  rdp::Secret password(random_password(16));
  if (db.users().find(name)) {
    db.users().set_password(name, password.view());
    audit(db, storage::AuditAction::user_passwd, "user " + name);
  } else {
    db.users().add(name, role, password.view());
    audit(db, storage::AuditAction::user_add, "user " + name);
  }
  return password;
}

}  // namespace

DemoLogins prepare_demo(storage::Database& db, std::uint16_t target_port) {
  DemoLogins logins;
  // The target moves to a new port on every start: it is replaced with its account and grant
  // (recorded sessions keep their names).
  if (db.targets().find(logins.target)) {
    db.targets().remove(logins.target, true);
    audit(db, storage::AuditAction::target_remove, "target " + logins.target);
  }
  db.targets().add({logins.target, "127.0.0.1", target_port, ""});
  audit(db, storage::AuditAction::target_add, "target " + logins.target);
  // The demo desktop's shadow server does not check credentials; the vault still holds one.
  rdp::Secret account_password(random_password(24));
  db.accounts().add({logins.target, "demo", std::nullopt}, account_password.view());
  audit(db, storage::AuditAction::account_add, "account demo@" + logins.target);

  logins.admin_password = refresh_user(db, logins.admin_user, storage::Role::user);
  logins.auditor_password = refresh_user(db, logins.auditor_user, storage::Role::auditor);
  storage::NewGrant grant;
  grant.key.user = logins.admin_user;
  grant.key.target = logins.target;
  db.grants().add(grant);
  audit(db, storage::AuditAction::grant_add, "grant demo -> demo");
  return logins;
}

}  // namespace rdpwarden::server::supervisor
