#include <fmt/format.h>

#include <rdpwarden/storage/account_repository.hpp>
#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "pq/connection.hpp"
#include "tx_scope.hpp"
#include "validation.hpp"

namespace rdpwarden::storage {
namespace {

constexpr const char* kSelect =
    "SELECT a.id, a.target_id, t.name, a.login, a.domain, a.created_at, a.password_changed_at "
    "FROM accounts a JOIN targets t ON t.id = a.target_id ";

Account to_account(const pq::Result& r, int row) {
  return Account{r.int64(row, 0), r.int64(row, 1), r.text(row, 2), r.text(row, 3),
                 r.text(row, 4),  r.time(row, 5),  r.time(row, 6)};
}

std::vector<Account> to_accounts(const pq::Result& r) {
  std::vector<Account> accounts;
  for (int i = 0; i < r.rows(); ++i)
    accounts.push_back(to_account(r, i));
  return accounts;
}

std::string password_context(RowId id) {
  return fmt::format("account:{}:password", id);
}

RowId target_id_of(pq::Connection& c, std::string_view target) {
  auto r = c.exec("SELECT id FROM targets WHERE lower(name) = lower($1)", {target});
  if (r.empty()) throw NotFound(fmt::format("no target named {}", target));
  return r.int64(0, 0);
}

std::string describe(const AccountKey& key) {
  return fmt::format("account {} on {}", account_label(key.login, key.domain.value_or("")),
                     key.target);
}

}  // namespace

Account AccountRepository::add(const AccountKey& key, std::string_view password) {
  require_login(key.login);
  require_domain(key.domain.value_or(""));
  require_password(password);
  auto& c = db_.connection();
  TxScope tx(c);
  RowId target_id = target_id_of(c, key.target);
  RowId id = c.exec("SELECT nextval(pg_get_serial_sequence('accounts', 'id'))").int64(0, 0);
  auto sealed = db_.keys().seal(password_context(id),
                                std::as_bytes(std::span(password.data(), password.size())));
  try {
    c.exec(
        "INSERT INTO accounts (id, target_id, login, domain, password_key_id, password_sealed) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {id, target_id, key.login, key.domain.value_or(""), sealed.key_id,
         pq::Param::bytes(sealed.blob)});
  } catch (const AlreadyExists&) {
    throw AlreadyExists(describe(key) + " already exists");
  }
  auto r = c.exec(std::string(kSelect) + "WHERE a.id = $1", {pq::Param(id)});
  tx.commit();
  return to_account(r, 0);
}

std::optional<Account> AccountRepository::find(const AccountKey& key) {
  auto& c = db_.connection();
  auto r = c.exec(std::string(kSelect) +
                      "WHERE lower(t.name) = lower($1) AND lower(a.login) = lower($2) "
                      "AND ($3::text IS NULL OR lower(a.domain) = lower($3)) ORDER BY a.domain",
                  {key.target, key.login, key.domain});
  if (r.empty()) return std::nullopt;
  if (r.rows() > 1)
    throw InvalidInput(fmt::format("target {} has several accounts named {}; name the domain too",
                                   key.target, key.login));
  return to_account(r, 0);
}

Account AccountRepository::get(const AccountKey& key) {
  auto account = find(key);
  if (account) return std::move(*account);
  target_id_of(db_.connection(), key.target);  // "no target named …" when that is the reason
  throw NotFound("no " + describe(key));
}

std::vector<Account> AccountRepository::list(std::optional<std::string_view> target) {
  auto& c = db_.connection();
  if (target) target_id_of(c, *target);
  auto r = c.exec(std::string(kSelect) +
                      "WHERE $1::text IS NULL OR lower(t.name) = lower($1) "
                      "ORDER BY lower(t.name), lower(a.login), lower(a.domain)",
                  {target ? std::optional<std::string>(std::string(*target)) : std::nullopt});
  return to_accounts(r);
}

std::vector<Account> AccountRepository::for_target(RowId target_id) {
  auto r = db_.connection().exec(
      std::string(kSelect) + "WHERE a.target_id = $1 ORDER BY lower(a.login), lower(a.domain)",
      {pq::Param(target_id)});
  return to_accounts(r);
}

SecretBytes AccountRepository::password(RowId account_id) {
  auto r = db_.connection().exec(
      "SELECT password_key_id, password_sealed FROM accounts WHERE id = $1", {account_id});
  if (r.empty()) throw NotFound(fmt::format("no account with id {}", account_id));
  return db_.keys().unseal(password_context(account_id), SealedSecret{r.text(0, 0), r.bytes(0, 1)});
}

void AccountRepository::set_password(const AccountKey& key, std::string_view password) {
  require_password(password);
  auto& c = db_.connection();
  TxScope tx(c);
  auto account = get(key);
  auto sealed = db_.keys().seal(password_context(account.id),
                                std::as_bytes(std::span(password.data(), password.size())));
  c.exec(
      "UPDATE accounts SET password_key_id = $2, password_sealed = $3, password_changed_at = "
      "now() WHERE id = $1",
      {account.id, sealed.key_id, pq::Param::bytes(sealed.blob)});
  tx.commit();
}

std::int64_t AccountRepository::remove(const AccountKey& key, bool cascade) {
  auto& c = db_.connection();
  TxScope tx(c);
  auto account = get(key);
  auto grants =
      c.exec("SELECT count(*) FROM grants WHERE account_id = $1", {account.id}).int64(0, 0);
  if (grants && !cascade)
    throw ConstraintViolation(fmt::format("account {} on {} is named by {} grant{}",
                                          account_label(account.login, account.domain),
                                          account.target_name, grants, grants == 1 ? "" : "s"));
  c.exec("DELETE FROM grants WHERE account_id = $1", {account.id});
  c.exec("DELETE FROM accounts WHERE id = $1", {account.id});
  tx.commit();
  return grants;
}

}  // namespace rdpwarden::storage
