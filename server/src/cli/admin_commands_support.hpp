#pragma once
// What every admin verb shares: the database opened from the config (embedded cluster or
// database.url), the acting OS user for the audit log, and the mapping of input errors to
// usage errors (exit 2) while everything else stays a runtime failure (exit 1).

#include <functional>
#include <memory>
#include <string>

#include <rdpwarden/storage/audit.hpp>
#include <rdpwarden/storage/database.hpp>

#include "app/database.hpp"
#include "cli/cli_context.hpp"

namespace rdpwarden::server::cli {

struct AdminSession {
  std::unique_ptr<app::Database> database;
  storage::Database db;
  std::string actor;          // the OS user running the CLI
  std::string actor_details;  // {"sudo_user": …} when run through sudo, else {}

  // An audit record for a change this CLI run makes.
  storage::AuditRecord audit(storage::AuditAction action, std::string object,
                             std::string details_json = "") const;
};

// Wraps a verb's work for CliContext::action: opens the database, runs `work`, leaves the
// embedded cluster (stopping it when nobody else uses it).
std::function<int()> admin_action(CliContext& ctx, std::function<int(AdminSession&)> work);

// Wraps a list verb's JSON output: one document, newline-terminated.
void print_json(const std::string& document);

}  // namespace rdpwarden::server::cli
