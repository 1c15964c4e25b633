#include "cli/admin_commands_support.hpp"
#include <cstdio>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::server::cli {
namespace {

std::string os_user_name() {
  std::vector<char> buffer(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (getpwuid_r(::getuid(), &pw, buffer.data(), buffer.size(), &found) == 0 && found)
    return pw.pw_name;
  return fmt::format("uid:{}", ::getuid());
}

std::string actor_details() {
  const char* sudo_user = std::getenv("SUDO_USER");
  if (::getuid() != 0 || !sudo_user || !*sudo_user) return "{}";
  return nlohmann::json{{"sudo_user", sudo_user}}.dump();
}

}  // namespace

storage::AuditRecord AdminSession::audit(storage::AuditAction action, std::string object,
                                         std::string details_json) const {
  storage::AuditRecord record;
  record.actor = actor;
  record.actor_kind = storage::ActorKind::cli;
  record.action = action;
  record.object = std::move(object);
  auto details =
      details_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(details_json);
  auto sudo = nlohmann::json::parse(actor_details);
  details.update(sudo);
  record.details_json = details.dump();
  return record;
}

std::function<int()> admin_action(CliContext& ctx, std::function<int(AdminSession&)> work) {
  return [&ctx, work = std::move(work)] {
    auto config = ctx.config();
    auto database = app::Database::open(*config, 1);
    AdminSession session{nullptr, database->connect(), os_user_name(), actor_details()};
    session.database = std::move(database);
    try {
      return work(session);
    } catch (const storage::InvalidInput& e) {
      throw UsageError(e.what());
    }
  };
}

void print_json(const std::string& document) {
  std::fputs(document.c_str(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace rdpwarden::server::cli
