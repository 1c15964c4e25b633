#pragma once
// The demo's database content: target `demo` (the DemoTarget's port), its account `demo`, the
// admin `demo` with a grant on it, and the console auditor `auditor`. Run on every start: the
// target's port changes and both users get fresh random passwords (printed once by `demo`,
// never logged). Every change is an audit-log row.

#include <cstdint>
#include <string>

#include <rdpwarden/storage/database.hpp>

#include "rdp/secret.hpp"

namespace rdpwarden::server::supervisor {

struct DemoLogins {
  std::string admin_user = "demo";
  std::string target = "demo";
  rdp::Secret admin_password;
  std::string auditor_user = "auditor";
  rdp::Secret auditor_password;
};

// Throws storage errors (one line).
DemoLogins prepare_demo(storage::Database& db, std::uint16_t target_port);

}  // namespace rdpwarden::server::supervisor
