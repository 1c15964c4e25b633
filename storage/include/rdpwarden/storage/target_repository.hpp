#pragma once
// RDP targets: name, host, port and the certificate fingerprint the gateway pins.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage {

class Database;

struct TargetRemoval {
  std::int64_t accounts = 0;  // removed with the target (cascade only)
  std::int64_t grants = 0;
};

class TargetRepository {
 public:
  explicit TargetRepository(Database& db) : db_(db) {}

  // Throws InvalidInput (name, host, port 0, fingerprint), AlreadyExists.
  Target add(const NewTarget& target);
  std::optional<Target> find(std::string_view name);
  Target get(std::string_view name);  // throws NotFound ("no target named srv9")
  std::vector<Target> list();         // by name
  // Without `cascade`, a target that still has accounts or grants is refused
  // (ConstraintViolation naming what is left); with it, they go too.
  TargetRemoval remove(std::string_view name, bool cascade);

  // Trust on first use: stores `fingerprint` as first-seen when the target has none yet, and
  // returns the target as it now stands (its pinned or earlier fingerprint wins).
  Target record_first_fingerprint(RowId target_id, std::string_view fingerprint);

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
