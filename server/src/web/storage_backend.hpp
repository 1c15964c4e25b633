#pragma once
// The console's Backend on rdpwarden's PostgreSQL: sign-in against the users' scrypt hashes,
// the session search, and the audit log, through storage's repositories. Each call leases one
// connection from the pool for its duration; calls come from WebServer's worker pool, so the
// pool should have at least WebServer::kWorkerThreads connections to spare (a lease waits up to
// 10 s, then the request is a 503).
//
// The supervisor wires it up:
//   auto db = app::Database::open(*config);
//   web::StorageBackend backend(db->pool());
//   web::WebServer console(config, backend);

#include <rdpwarden/storage/connection_pool.hpp>

#include "web/backend.hpp"

namespace rdpwarden::server::web {

class StorageBackend final : public Backend {
 public:
  explicit StorageBackend(storage::ConnectionPool& pool) : pool_(pool) {}

  PasswordCheck check_password(std::string_view user, std::string_view password) override;
  SessionPage list_sessions(const SessionQuery& query) override;
  std::optional<SessionRow> find_session(std::string_view id) override;
  void append_audit(const AuditEntry& entry) override;

 private:
  storage::ConnectionPool& pool_;
};

}  // namespace rdpwarden::server::web
