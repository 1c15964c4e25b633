#pragma once
// `rdpwarden key rotate`: a new master key, every secret re-sealed with it in one transaction
// together with its audit row, then the new key becomes the master key file and the old one is
// retired (kept under keys/retired/ so older backups can still be opened).

#include <cstdint>
#include <string>
#include <vector>

#include <rdpwarden/storage/audit.hpp>

namespace rdpwarden::storage {

class Database;

struct RotationReport {
  std::string old_key_id;
  std::string new_key_id;
  std::int64_t resealed = 0;
};

// `audit` names the actor; its action and details are filled in. Throws KeyError when a secret
// does not unseal (nothing changes then).
RotationReport rotate_master_key(Database& db, AuditRecord audit);

// The distinct key ids the database's sealed secrets use (to refuse a missing master key
// before anything is sealed with a fresh one).
std::vector<std::string> key_ids_in_use(Database& db);

}  // namespace rdpwarden::storage
