#include "server/web/storage_world.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/storage/key_ring.hpp>
#include <rdpwarden/storage/migrations.hpp>

#include "support/postgres.hpp"

namespace rdpwarden::test {

StorageWorld::StorageWorld()
    : conninfo(PostgresServer::shared().create_database()),
      keys(storage::KeyRing::open(dir / "keys/master.key", storage::KeyRing::IfMissing::create)),
      db(storage::Database::connect(conninfo, keys)) {
  storage::migrate(db);
  pool = std::make_unique<storage::ConnectionPool>(conninfo, keys, 6);
  backend = std::make_unique<server::web::StorageBackend>(*pool);
}

StorageWorld::~StorageWorld() {
  backend.reset();
  pool.reset();
}

void StorageWorld::add_user(const std::string& name, storage::Role role,
                            const std::string& password) {
  db.users().add(name, role, password);
}

std::string StorageWorld::add_session(const std::string& user, const std::string& target,
                                      const std::string& login, const std::string& id,
                                      const std::vector<std::string>& typed, bool live,
                                      std::int64_t duration_ms, std::int64_t bytes,
                                      const std::string& reason) {
  if (!db.targets().find(target))
    db.targets().add({target, fmt::format("{}.example.test", target), 3389, ""});
  std::optional<storage::RowId> account_id;
  if (!login.empty()) {
    storage::AccountKey key{target, login, std::string()};
    auto existing = db.accounts().find(key);
    account_id = existing ? existing->id : db.accounts().add(key, "Account-Pass-1").id;
  }
  storage::NewSession s;
  s.id = id;
  s.user_id = db.users().get(user).id;
  s.target_id = db.targets().get(target).id;
  s.account_id = account_id;
  s.client_address = "10.0.0.7";
  s.worker_pid = 4242;
  auto session_id = db.sessions().create(s);
  std::vector<storage::EventRecord> events;
  std::int64_t t = 1000;
  for (const auto& line : typed) {
    events.push_back({t, "text", nlohmann::json{{"line", line}, {"end", "enter"}}.dump()});
    t += 1000;
  }
  if (!events.empty()) db.events().append(session_id, events);
  if (!live) {
    db.sessions().end(session_id, {storage::SessionState::ended, reason,
                                   std::chrono::milliseconds(duration_ms), bytes});
  }
  return session_id;
}

std::vector<storage::AuditEntry> StorageWorld::audit() {
  storage::AuditFilter filter;
  filter.limit = 1000;
  auto page = db.audit().list(filter);
  return {page.entries.rbegin(), page.entries.rend()};  // oldest first
}

}  // namespace rdpwarden::test
