// rdpwarden user add|list|passwd|remove
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "cli/admin_commands.hpp"
#include "cli/admin_commands_format.hpp"
#include "cli/admin_commands_support.hpp"
#include "cli/prompt.hpp"

namespace rdpwarden::server::cli {
namespace {

using storage::AuditAction;

struct UserOptions {
  std::string name;
  std::string role = "user";
  bool password_stdin = false;
  bool json = false;
};

int user_add(AdminSession& s, const UserOptions& o) {
  auto role = storage::parse_role(o.role);
  if (!role) throw UsageError(fmt::format("unknown role '{}': use admin, auditor or user", o.role));
  // Refuse a taken name before anyone types a password for it.
  if (s.db.users().find(o.name))
    throw storage::AlreadyExists(fmt::format("user {} already exists", o.name));
  auto password = read_new_password(fmt::format("password for user {}", o.name), o.password_stdin);
  auto tx = s.db.begin();
  auto user = s.db.users().add(o.name, *role, password.view());
  s.db.audit().append(
      s.audit(AuditAction::user_add, "user " + user.name, nlohmann::json{{"role", o.role}}.dump()));
  tx.commit();
  fmt::print("added user {} ({})\n", user.name, storage::to_string(user.role));
  return 0;
}

int user_list(AdminSession& s, const UserOptions& o) {
  auto users = s.db.users().list();
  if (o.json) {
    auto out = nlohmann::json::array();
    for (const auto& u : users)
      out.push_back({{"name", u.name},
                     {"role", storage::to_string(u.role)},
                     {"created_at", format_iso8601(u.created_at)},
                     {"password_changed_at", format_iso8601(u.password_changed_at)}});
    print_json(out.dump(2));
    return 0;
  }
  if (users.empty()) {
    fmt::print("no users\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : users)
    rows.push_back({u.name, std::string(storage::to_string(u.role)), format_iso8601(u.created_at),
                    format_iso8601(u.password_changed_at)});
  std::cout << render_table({"name", "role", "created", "password changed"}, rows);
  return 0;
}

int user_passwd(AdminSession& s, const UserOptions& o) {
  auto user = s.db.users().get(o.name);
  auto password =
      read_new_password(fmt::format("password for user {}", user.name), o.password_stdin);
  auto tx = s.db.begin();
  s.db.users().set_password(user.name, password.view());
  s.db.audit().append(s.audit(AuditAction::user_passwd, "user " + user.name));
  tx.commit();
  fmt::print("changed the password of user {}\n", user.name);
  return 0;
}

int user_remove(AdminSession& s, const UserOptions& o) {
  auto tx = s.db.begin();
  auto user = s.db.users().get(o.name);
  auto grants = s.db.users().remove(user.name);
  s.db.audit().append(s.audit(AuditAction::user_remove, "user " + user.name,
                              nlohmann::json{{"grants_removed", grants}}.dump()));
  tx.commit();
  fmt::print("removed user {}{}\n", user.name,
             grants ? fmt::format(" and {} grant{}", grants, grants == 1 ? "" : "s") : "");
  return 0;
}

}  // namespace

void register_user_commands(CLI::App& app, CliContext& ctx) {
  auto* user = app.add_subcommand("user", "Manage gateway users (who may connect or sign in)");
  user->require_subcommand(1);
  auto o = std::make_shared<UserOptions>();
  auto bind = [&ctx, o](int (*verb)(AdminSession&, const UserOptions&)) {
    return [&ctx, o, verb] {
      ctx.action = admin_action(ctx, [o, verb](AdminSession& s) { return verb(s, *o); });
    };
  };

  auto* add = user->add_subcommand("add",
                                   "Add a user; the password is asked for (or read from "
                                   "stdin with --password-stdin), never taken from argv");
  add->add_option("name", o->name, "User name (letters, digits, . _ -)")->required();
  add->add_option("--role", o->role, "admin, auditor or user (default: user)");
  add->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  add->callback(bind(user_add));

  auto* list = user->add_subcommand("list", "List users");
  list->add_flag("--json", o->json, "Print JSON");
  list->callback(bind(user_list));

  auto* passwd = user->add_subcommand("passwd", "Change a user's password");
  passwd->add_option("name", o->name, "User name")->required();
  passwd->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  passwd->callback(bind(user_passwd));

  auto* remove = user->add_subcommand("remove", "Remove a user and their grants");
  remove->add_option("name", o->name, "User name")->required();
  remove->callback(bind(user_remove));
}

}  // namespace rdpwarden::server::cli
