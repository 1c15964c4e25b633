#include <fmt/format.h>

#include <rdpwarden/storage/credentials.hpp>
#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/user_repository.hpp>

#include "pq/connection.hpp"
#include "tx_scope.hpp"
#include "validation.hpp"

namespace rdpwarden::storage {
namespace {

constexpr const char* kColumns = "id, name, role, created_at, password_changed_at";

User to_user(const pq::Result& r, int row) {
  User user;
  user.id = r.int64(row, 0);
  user.name = r.text(row, 1);
  user.role = parse_role(r.view(row, 2)).value_or(Role::user);
  user.created_at = r.time(row, 3);
  user.password_changed_at = r.time(row, 4);
  return user;
}

// Binds a sealed NT hash to its row: a blob copied onto another user does not open.
std::string nt_context(RowId id) {
  return fmt::format("user:{}:nt_hash", id);
}

struct DerivedPassword {
  std::string web_hash;
  SealedSecret nt_hash;
};

DerivedPassword derive(Database& db, RowId id, std::string_view password) {
  require_password(password);
  auto nt = nt_hash(password);
  return {hash_web_password(password), db.keys().seal(nt_context(id), nt.bytes())};
}

}  // namespace

User UserRepository::add(std::string_view name, Role role, std::string_view password) {
  require_name("user", name);
  require_password(password);
  auto& c = db_.connection();
  TxScope tx(c);
  RowId id = c.exec("SELECT nextval(pg_get_serial_sequence('users', 'id'))").int64(0, 0);
  auto derived = derive(db_, id, password);
  try {
    auto r = c.exec(fmt::format("INSERT INTO users (id, name, role, password_hash, nt_hash_key_id, "
                                "nt_hash_sealed) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {}",
                                kColumns),
                    {id, name, to_string(role), derived.web_hash, derived.nt_hash.key_id,
                     pq::Param::bytes(derived.nt_hash.blob)});
    tx.commit();
    return to_user(r, 0);
  } catch (const AlreadyExists&) {
    throw AlreadyExists(fmt::format("user {} already exists", name));
  }
}

std::optional<User> UserRepository::find(std::string_view name) {
  auto r = db_.connection().exec(
      fmt::format("SELECT {} FROM users WHERE lower(name) = lower($1)", kColumns), {name});
  if (r.empty()) return std::nullopt;
  return to_user(r, 0);
}

User UserRepository::get(std::string_view name) {
  auto user = find(name);
  if (!user) throw NotFound(fmt::format("no user named {}", name));
  return std::move(*user);
}

std::vector<User> UserRepository::list() {
  auto r = db_.connection().exec(fmt::format("SELECT {} FROM users ORDER BY lower(name)", kColumns),
                                 std::vector<pq::Param>{});
  std::vector<User> users;
  for (int i = 0; i < r.rows(); ++i)
    users.push_back(to_user(r, i));
  return users;
}

void UserRepository::set_password(std::string_view name, std::string_view password) {
  require_password(password);
  auto& c = db_.connection();
  TxScope tx(c);
  auto r = c.exec("SELECT id FROM users WHERE lower(name) = lower($1) FOR UPDATE", {name});
  if (r.empty()) throw NotFound(fmt::format("no user named {}", name));
  RowId id = r.int64(0, 0);
  auto derived = derive(db_, id, password);
  c.exec(
      "UPDATE users SET password_hash = $2, nt_hash_key_id = $3, nt_hash_sealed = $4, "
      "password_changed_at = now() WHERE id = $1",
      {id, derived.web_hash, derived.nt_hash.key_id, pq::Param::bytes(derived.nt_hash.blob)});
  tx.commit();
}

std::int64_t UserRepository::remove(std::string_view name) {
  auto& c = db_.connection();
  TxScope tx(c);
  auto r = c.exec(
      "SELECT u.id, (SELECT count(*) FROM grants g WHERE g.user_id = u.id) FROM users u "
      "WHERE lower(u.name) = lower($1) FOR UPDATE",
      {name});
  if (r.empty()) throw NotFound(fmt::format("no user named {}", name));
  c.exec("DELETE FROM users WHERE id = $1", {r.int64(0, 0)});
  tx.commit();
  return r.int64(0, 1);
}

std::optional<UserLogon> UserRepository::find_logon(std::string_view name) {
  auto r = db_.connection().exec(
      fmt::format("SELECT {}, nt_hash_key_id, nt_hash_sealed FROM users WHERE lower(name) = "
                  "lower($1)",
                  kColumns),
      {name});
  if (r.empty()) return std::nullopt;
  User user = to_user(r, 0);
  SealedSecret sealed{r.text(0, 5), r.bytes(0, 6)};
  auto hash = db_.keys().unseal(nt_context(user.id), sealed);
  return UserLogon{std::move(user), std::move(hash)};
}

std::optional<User> UserRepository::verify_web_password(std::string_view name,
                                                        std::string_view password) {
  auto r = db_.connection().exec(
      fmt::format("SELECT {}, password_hash FROM users WHERE lower(name) = lower($1)", kColumns),
      {name});
  if (r.empty()) {
    burn_web_password_verification(password);
    return std::nullopt;
  }
  if (!storage::verify_web_password(r.view(0, 5), password)) return std::nullopt;
  return to_user(r, 0);
}

}  // namespace rdpwarden::storage
