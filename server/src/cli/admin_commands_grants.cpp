// rdpwarden grant add|list|remove and key rotate
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/key_rotation.hpp>

#include "cli/admin_commands.hpp"
#include "cli/admin_commands_format.hpp"
#include "cli/admin_commands_support.hpp"

namespace rdpwarden::server::cli {
namespace {

using storage::AuditAction;

struct GrantOptions {
  std::string user;
  std::string target;
  std::string account;
  std::string domain;
  bool domain_given = false;
  std::string valid_from;
  std::string valid_until;
  std::vector<std::string> sources;
  bool json = false;

  storage::GrantKey key() const {
    storage::GrantKey key{user, target, std::nullopt, std::nullopt};
    if (!account.empty()) key.account_login = account;
    if (domain_given) key.account_domain = domain;
    return key;
  }
};

std::optional<storage::TimePoint> time_option(const std::string& text, std::string_view flag) {
  if (text.empty()) return std::nullopt;
  auto t = parse_iso8601(text);
  if (!t)
    throw UsageError(
        fmt::format("invalid {} '{}': use ISO 8601, e.g. 2026-01-31 or "
                    "2026-01-31T18:00:00+01:00 (UTC when no offset is given)",
                    flag, text.substr(0, 40)));
  return t;
}

std::string grant_label(const storage::Grant& g) {
  std::string account =
      g.account_id
          ? fmt::format(" as {}{}", g.account_domain.empty() ? "" : g.account_domain + "\\",
                        g.account_login)
          : "";
  return fmt::format("grant for {} on {}{}", g.user_name, g.target_name, account);
}

nlohmann::json grant_json(const storage::Grant& g) {
  return {{"user", g.user_name},
          {"target", g.target_name},
          {"account", g.account_id ? nlohmann::json(g.account_login) : nlohmann::json(nullptr)},
          {"domain", g.account_domain},
          {"valid_from", g.valid_from ? nlohmann::json(format_iso8601(*g.valid_from)) : nullptr},
          {"valid_until", g.valid_until ? nlohmann::json(format_iso8601(*g.valid_until)) : nullptr},
          {"source_networks", g.source_networks},
          {"created_at", format_iso8601(g.created_at)}};
}

int grant_add(AdminSession& s, const GrantOptions& o) {
  if (o.domain_given && o.account.empty())
    throw UsageError("--domain names the account's domain: give --account too");
  storage::NewGrant grant;
  grant.key = o.key();
  grant.valid_from = time_option(o.valid_from, "--valid-from");
  grant.valid_until = time_option(o.valid_until, "--valid-until");
  grant.source_networks = o.sources;
  auto tx = s.db.begin();
  auto added = s.db.grants().add(grant);
  s.db.audit().append(
      s.audit(AuditAction::grant_add, grant_label(added), grant_json(added).dump()));
  tx.commit();
  fmt::print(
      "granted {} access to {} {}\n", added.user_name, added.target_name,
      added.account_id
          ? "as " + std::string(added.account_domain.empty() ? "" : added.account_domain + "\\") +
                added.account_login
          : "with any of its accounts");
  return 0;
}

int grant_list(AdminSession& s, const GrantOptions& o) {
  storage::GrantFilter filter;
  if (!o.user.empty()) filter.user = o.user;
  if (!o.target.empty()) filter.target = o.target;
  auto grants = s.db.grants().list(filter);
  if (o.json) {
    auto out = nlohmann::json::array();
    for (const auto& g : grants)
      out.push_back(grant_json(g));
    print_json(out.dump(2));
    return 0;
  }
  if (grants.empty()) {
    fmt::print("no grants\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : grants) {
    std::string sources;
    for (const auto& n : g.source_networks)
      sources += (sources.empty() ? "" : ",") + n;
    rows.push_back(
        {g.user_name, g.target_name,
         g.account_id ? (g.account_domain.empty() ? "" : g.account_domain + "\\") + g.account_login
                      : "(any)",
         g.valid_from ? format_iso8601(*g.valid_from) : "-",
         g.valid_until ? format_iso8601(*g.valid_until) : "-",
         sources.empty() ? "(any)" : sources});
  }
  std::cout << render_table({"user", "target", "account", "valid from", "valid until", "sources"},
                            rows);
  return 0;
}

int grant_remove(AdminSession& s, const GrantOptions& o) {
  auto tx = s.db.begin();
  s.db.grants().remove(o.key());
  std::string account = o.account.empty()                     ? ""
                        : o.domain_given && !o.domain.empty() ? o.domain + "\\" + o.account
                                                              : o.account;
  std::string label = fmt::format("grant for {} on {}{}", o.user, o.target,
                                  account.empty() ? "" : " as " + account);
  s.db.audit().append(s.audit(AuditAction::grant_remove, label));
  tx.commit();
  fmt::print("removed the {}\n", label);
  return 0;
}

int key_rotate(AdminSession& s) {
  auto report = storage::rotate_master_key(s.db, s.audit(AuditAction::key_rotate, "master key"));
  auto retired = s.database->keys()->master_key_file().parent_path() / "retired" /
                 (report.old_key_id + ".key");
  fmt::print("rotated the master key: {} -> {}; re-sealed {} secret{}\n", report.old_key_id,
             report.new_key_id, report.resealed, report.resealed == 1 ? "" : "s");
  fmt::print("the old key is kept in {} (delete it once no backup needs it)\n", retired.string());
  return 0;
}

}  // namespace

void register_grant_commands(CLI::App& app, CliContext& ctx) {
  auto* grant = app.add_subcommand("grant", "Manage grants (which user may reach which target)");
  grant->require_subcommand(1);
  auto o = std::make_shared<GrantOptions>();
  auto bind = [&ctx, o](int (*verb)(AdminSession&, const GrantOptions&)) {
    return [&ctx, o, verb] {
      ctx.action = admin_action(ctx, [o, verb](AdminSession& s) { return verb(s, *o); });
    };
  };
  auto add_key = [&o](CLI::App* verb) {
    verb->add_option("user", o->user, "User name")->required();
    verb->add_option("target", o->target, "Target name")->required();
    verb->add_option("--account", o->account, "Only this account of the target (default: any)");
    verb->add_option("--domain", o->domain, "The account's domain, when logins repeat")
        ->each([o](const std::string&) { o->domain_given = true; });
  };

  auto* add = grant->add_subcommand("add", "Let a user reach a target");
  add_key(add);
  add->add_option("--valid-from", o->valid_from, "Start of validity (ISO 8601, UTC by default)");
  add->add_option("--valid-until", o->valid_until, "End of validity (ISO 8601, UTC by default)");
  add->add_option("--source", o->sources, "Allowed client network, e.g. 10.1.0.0/16 (repeatable)");
  add->callback(bind(grant_add));

  auto* list = grant->add_subcommand("list", "List grants");
  list->add_option("--user", o->user, "Only this user's grants");
  list->add_option("--target", o->target, "Only grants on this target");
  list->add_flag("--json", o->json, "Print JSON");
  list->callback(bind(grant_list));

  auto* remove = grant->add_subcommand("remove", "Remove a grant");
  add_key(remove);
  remove->callback(bind(grant_remove));
}

void register_key_commands(CLI::App& app, CliContext& ctx) {
  auto* key = app.add_subcommand("key", "Manage the master key that seals stored secrets");
  key->require_subcommand(1);
  key->add_subcommand("rotate", "Make a new master key and re-seal every secret with it")
      ->callback([&ctx] { ctx.action = admin_action(ctx, key_rotate); });
}

}  // namespace rdpwarden::server::cli
