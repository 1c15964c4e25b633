// rdpwarden target add|list|remove and account add|list|passwd|remove
#include <charconv>
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

struct TargetOptions {
  std::string name;
  std::string host;
  std::string port = "3389";
  std::string fingerprint;
  bool cascade = false;
  bool json = false;
};

struct AccountOptions {
  std::string target;
  std::string login;
  std::string domain;
  bool domain_given = false;
  bool password_stdin = false;
  bool cascade = false;
  bool json = false;
  storage::AccountKey key() const {
    return {target, login, domain_given ? std::optional<std::string>(domain) : std::nullopt};
  }
};

std::uint16_t parse_port(const std::string& text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535)
    throw UsageError(fmt::format("invalid port '{}': use 1 to 65535", text.substr(0, 20)));
  return static_cast<std::uint16_t>(value);
}

// "CORP\admin on srv01"
std::string account_name(const storage::Account& a) {
  return fmt::format("{}{} on {}", a.domain.empty() ? "" : a.domain + "\\", a.login, a.target_name);
}

std::string label(const storage::Account& a) {
  return "account " + account_name(a);
}

std::string counted(std::int64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

int target_add(AdminSession& s, const TargetOptions& o) {
  storage::NewTarget target{o.name, o.host, parse_port(o.port), o.fingerprint};
  auto tx = s.db.begin();
  auto added = s.db.targets().add(target);
  s.db.audit().append(s.audit(
      AuditAction::target_add, "target " + added.name,
      nlohmann::json{{"host", added.host}, {"port", added.port}, {"fingerprint", added.fingerprint}}
          .dump()));
  tx.commit();
  fmt::print("added target {} ({}:{}){}\n", added.name, added.host, added.port,
             added.fingerprint.empty() ? "" : ", certificate pinned");
  return 0;
}

int target_list(AdminSession& s, const TargetOptions& o) {
  auto targets = s.db.targets().list();
  if (o.json) {
    auto out = nlohmann::json::array();
    for (const auto& t : targets)
      out.push_back({{"name", t.name},
                     {"host", t.host},
                     {"port", t.port},
                     {"fingerprint", t.fingerprint},
                     {"fingerprint_origin", storage::to_string(t.fingerprint_origin)},
                     {"created_at", format_iso8601(t.created_at)}});
    print_json(out.dump(2));
    return 0;
  }
  if (targets.empty()) {
    fmt::print("no targets\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : targets)
    rows.push_back({t.name, t.host, std::to_string(t.port),
                    t.fingerprint.empty() ? "-"
                                          : fmt::format("{} ({})", t.fingerprint,
                                                        storage::to_string(t.fingerprint_origin))});
  std::cout << render_table({"name", "host", "port", "certificate sha-256"}, rows);
  return 0;
}

int target_remove(AdminSession& s, const TargetOptions& o) {
  auto tx = s.db.begin();
  storage::TargetRemoval removed;
  try {
    removed = s.db.targets().remove(o.name, o.cascade);
  } catch (const storage::ConstraintViolation& e) {
    throw storage::ConstraintViolation(
        fmt::format("{} (remove them first, or use --cascade)", e.what()));
  }
  s.db.audit().append(s.audit(
      AuditAction::target_remove, "target " + o.name,
      nlohmann::json{{"accounts_removed", removed.accounts}, {"grants_removed", removed.grants}}
          .dump()));
  tx.commit();
  fmt::print("removed target {}{}\n", o.name,
             removed.accounts || removed.grants
                 ? fmt::format(" with {} and {}", counted(removed.accounts, "account"),
                               counted(removed.grants, "grant"))
                 : "");
  return 0;
}

int account_add(AdminSession& s, const AccountOptions& o) {
  auto key = o.key();
  key.domain = o.domain;  // adding names exactly one account: no domain means a local one
  s.db.targets().get(o.target);
  if (s.db.accounts().find(key))
    throw storage::AlreadyExists(fmt::format("account {}{} on {} already exists",
                                             o.domain.empty() ? "" : o.domain + "\\", o.login,
                                             o.target));
  auto password =
      read_new_password(fmt::format("password for {}{} on {}",
                                    o.domain.empty() ? "" : o.domain + "\\", o.login, o.target),
                        o.password_stdin);
  auto tx = s.db.begin();
  auto account = s.db.accounts().add(key, password.view());
  s.db.audit().append(s.audit(AuditAction::account_add, label(account)));
  tx.commit();
  fmt::print("added {}\n", label(account));
  return 0;
}

int account_list(AdminSession& s, const AccountOptions& o) {
  auto accounts = s.db.accounts().list(
      o.target.empty() ? std::nullopt : std::optional<std::string_view>(o.target));
  if (o.json) {
    auto out = nlohmann::json::array();
    for (const auto& a : accounts)
      out.push_back({{"target", a.target_name},
                     {"login", a.login},
                     {"domain", a.domain},
                     {"created_at", format_iso8601(a.created_at)},
                     {"password_changed_at", format_iso8601(a.password_changed_at)}});
    print_json(out.dump(2));
    return 0;
  }
  if (accounts.empty()) {
    fmt::print("no accounts\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : accounts)
    rows.push_back({a.target_name, a.login, a.domain.empty() ? "-" : a.domain,
                    format_iso8601(a.password_changed_at)});
  std::cout << render_table({"target", "login", "domain", "password changed"}, rows);
  return 0;
}

int account_passwd(AdminSession& s, const AccountOptions& o) {
  auto account = s.db.accounts().get(o.key());
  auto password =
      read_new_password(fmt::format("password for {}", account_name(account)), o.password_stdin);
  auto tx = s.db.begin();
  s.db.accounts().set_password({account.target_name, account.login, account.domain},
                               password.view());
  s.db.audit().append(s.audit(AuditAction::account_passwd, label(account)));
  tx.commit();
  fmt::print("changed the password of {}\n", label(account));
  return 0;
}

int account_remove(AdminSession& s, const AccountOptions& o) {
  auto tx = s.db.begin();
  auto account = s.db.accounts().get(o.key());
  std::int64_t grants = 0;
  try {
    grants =
        s.db.accounts().remove({account.target_name, account.login, account.domain}, o.cascade);
  } catch (const storage::ConstraintViolation& e) {
    throw storage::ConstraintViolation(
        fmt::format("{} (remove the grants first, or use --cascade)", e.what()));
  }
  s.db.audit().append(s.audit(AuditAction::account_remove, label(account),
                              nlohmann::json{{"grants_removed", grants}}.dump()));
  tx.commit();
  fmt::print("removed {}{}\n", label(account), grants ? " and " + counted(grants, "grant") : "");
  return 0;
}

template <typename Options>
auto binder(CliContext& ctx, std::shared_ptr<Options> o) {
  return [&ctx, o](int (*verb)(AdminSession&, const Options&)) {
    return [&ctx, o, verb] {
      ctx.action = admin_action(ctx, [o, verb](AdminSession& s) { return verb(s, *o); });
    };
  };
}

}  // namespace

void register_target_commands(CLI::App& app, CliContext& ctx) {
  auto* target =
      app.add_subcommand("target", "Manage RDP targets (the servers behind the gateway)");
  target->require_subcommand(1);
  auto o = std::make_shared<TargetOptions>();
  auto bind = binder(ctx, o);

  auto* add = target->add_subcommand("add", "Add a target");
  add->add_option("name", o->name, "Target name, as users type it after #")->required();
  add->add_option("--host", o->host, "DNS name or IP address")->required();
  add->add_option("--port", o->port, "RDP port (default: 3389)");
  add->add_option("--fingerprint", o->fingerprint,
                  "Pin the certificate: its SHA-256 (otherwise the first one seen is kept)");
  add->callback(bind(target_add));

  auto* list = target->add_subcommand("list", "List targets");
  list->add_flag("--json", o->json, "Print JSON");
  list->callback(bind(target_list));

  auto* remove = target->add_subcommand("remove", "Remove a target");
  remove->add_option("name", o->name, "Target name")->required();
  remove->add_flag("--cascade", o->cascade, "Also remove its accounts and grants");
  remove->callback(bind(target_remove));
}

void register_account_commands(CLI::App& app, CliContext& ctx) {
  auto* account = app.add_subcommand("account", "Manage vaulted target accounts");
  account->require_subcommand(1);
  auto o = std::make_shared<AccountOptions>();
  auto bind = binder(ctx, o);
  auto add_key = [&o](CLI::App* verb) {
    verb->add_option("target", o->target, "Target name")->required();
    verb->add_option("login", o->login, "Account login on the target")->required();
    verb->add_option("--domain", o->domain, "Windows domain of the account")
        ->each([o](const std::string&) { o->domain_given = true; });
  };

  auto* add = account->add_subcommand("add",
                                      "Add an account; the password is asked for (or "
                                      "read with --password-stdin), never from argv");
  add_key(add);
  add->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  add->callback(bind(account_add));

  auto* list = account->add_subcommand("list", "List accounts (never their passwords)");
  list->add_option("target", o->target, "Only this target's accounts");
  list->add_flag("--json", o->json, "Print JSON");
  list->callback(bind(account_list));

  auto* passwd = account->add_subcommand("passwd", "Change an account's vaulted password");
  add_key(passwd);
  passwd->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  passwd->callback(bind(account_passwd));

  auto* remove = account->add_subcommand("remove", "Remove an account");
  add_key(remove);
  remove->add_flag("--cascade", o->cascade, "Also remove the grants that name it");
  remove->callback(bind(account_remove));
}

}  // namespace rdpwarden::server::cli
