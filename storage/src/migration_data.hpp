#pragma once
// The SQL migrations compiled into the binary (generated from storage/migrations/*.sql).

#include <span>
#include <string_view>

namespace rdpwarden::storage {

struct EmbeddedMigration {
  int version;
  std::string_view name;  // "0001_initial"
  std::string_view sql;
};

std::span<const EmbeddedMigration> embedded_migrations();  // by version, 1..N without gaps

}  // namespace rdpwarden::storage
