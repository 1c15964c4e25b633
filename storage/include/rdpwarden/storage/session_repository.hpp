#pragma once
// Session rows: created live by the gateway, ended with a state and reason, searched by the web
// console (filters, typed-text search, pagination with a total).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage {

class Database;

class SessionRepository {
 public:
  explicit SessionRepository(Database& db) : db_(db) {}

  // Returns the session id (a UUID). Throws NotFound when the user or target vanished.
  std::string create(const NewSession& session);
  // Ends a live session. Throws NotFound for an unknown id, ConstraintViolation when it was
  // already ended (the first end wins), InvalidInput for state live.
  void end(std::string_view id, const SessionEnd& end);
  std::optional<Session> get(std::string_view id);  // nullopt also for a malformed id
  SessionPage list(const SessionFilter& filter);
  std::vector<Session> live();
  // At supervisor start-up: every session still live belonged to a previous run. Returns how
  // many were marked interrupted.
  std::int64_t interrupt_live(std::string_view reason);

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
