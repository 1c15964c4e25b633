#pragma once
// One connection to rdpwarden's PostgreSQL database, with typed repositories bound to it. Not
// thread-safe: a thread owns a Database, or leases one from a ConnectionPool.
//
//   auto db = storage::Database::connect(conninfo, keys);
//   auto tx = db.begin();
//   auto user = db.users().add("ops1", storage::Role::admin, password.view());
//   db.audit().append({...});
//   tx.commit();  // without it, the destructor rolls back
//
// A repository call outside a transaction runs in its own (atomic even when it takes several
// statements); inside one, it joins it. Every connection uses UTC and ISO dates.

#include <memory>
#include <string>

#include <rdpwarden/storage/account_repository.hpp>
#include <rdpwarden/storage/audit_log.hpp>
#include <rdpwarden/storage/event_repository.hpp>
#include <rdpwarden/storage/grant_repository.hpp>
#include <rdpwarden/storage/key_ring.hpp>
#include <rdpwarden/storage/segment_repository.hpp>
#include <rdpwarden/storage/session_repository.hpp>
#include <rdpwarden/storage/target_repository.hpp>
#include <rdpwarden/storage/transaction.hpp>
#include <rdpwarden/storage/user_repository.hpp>

namespace rdpwarden::storage {

namespace pq {
class Connection;
}

class Database {
 public:
  // `conninfo` is a libpq connection string or URL. `keys` seals and unseals secrets; it may be
  // null for a caller that never touches one (sealing then throws KeyError). Throws Unavailable.
  static Database connect(const std::string& conninfo, std::shared_ptr<KeyRing> keys);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Throws StorageError when a transaction is already open on this connection.
  Transaction begin();
  bool in_transaction() const;
  // The connection is up and not inside a transaction: safe to hand to someone else.
  bool reusable() const;

  UserRepository users() { return UserRepository(*this); }
  TargetRepository targets() { return TargetRepository(*this); }
  AccountRepository accounts() { return AccountRepository(*this); }
  GrantRepository grants() { return GrantRepository(*this); }
  SessionRepository sessions() { return SessionRepository(*this); }
  EventRepository events() { return EventRepository(*this); }
  SegmentRepository segments() { return SegmentRepository(*this); }
  AuditLog audit() { return AuditLog(*this); }

  // Throws KeyError when the database was opened without keys.
  KeyRing& keys() const;
  // storage's own code reaches libpq through this; nothing outside storage can use it.
  pq::Connection& connection() const { return *connection_; }

 private:
  Database(std::unique_ptr<pq::Connection> connection, std::shared_ptr<KeyRing> keys);
  std::unique_ptr<pq::Connection> connection_;
  std::shared_ptr<KeyRing> keys_;
};

}  // namespace rdpwarden::storage
