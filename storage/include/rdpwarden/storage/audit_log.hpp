#pragma once
// The append-only audit log: every change and every sensitive look, who did it, from where.

#include <cstdint>

#include <rdpwarden/storage/audit.hpp>

namespace rdpwarden::storage {

class Database;

class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  // Returns the new entry's id. Throws InvalidInput (details not a JSON object, bad address).
  std::int64_t append(const AuditRecord& record);
  AuditPage list(const AuditFilter& filter = {});

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
