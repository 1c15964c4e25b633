#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/grant_repository.hpp>

#include "pq/connection.hpp"
#include "tx_scope.hpp"
#include "validation.hpp"

namespace rdpwarden::storage {
namespace {

constexpr const char* kSelect =
    "SELECT g.id, g.user_id, u.name, g.target_id, t.name, g.account_id, coalesce(a.login, ''), "
    "coalesce(a.domain, ''), g.valid_from, g.valid_until, g.source_networks, g.created_at "
    "FROM grants g JOIN users u ON u.id = g.user_id JOIN targets t ON t.id = g.target_id "
    "LEFT JOIN accounts a ON a.id = g.account_id ";
constexpr const char* kOrder =
    " ORDER BY lower(u.name), lower(t.name), lower(a.login) NULLS FIRST, lower(a.domain)";

Grant to_grant(const pq::Result& r, int row) {
  Grant g;
  g.id = r.int64(row, 0);
  g.user_id = r.int64(row, 1);
  g.user_name = r.text(row, 2);
  g.target_id = r.int64(row, 3);
  g.target_name = r.text(row, 4);
  g.account_id = r.opt_int64(row, 5);
  g.account_login = r.text(row, 6);
  g.account_domain = r.text(row, 7);
  g.valid_from = r.opt_time(row, 8);
  g.valid_until = r.opt_time(row, 9);
  g.source_networks = r.text_array(row, 10);
  g.created_at = r.time(row, 11);
  return g;
}

std::vector<Grant> to_grants(const pq::Result& r) {
  std::vector<Grant> grants;
  for (int i = 0; i < r.rows(); ++i)
    grants.push_back(to_grant(r, i));
  return grants;
}

std::string describe(const GrantKey& key) {
  std::string text = fmt::format("grant for {} on {}", key.user, key.target);
  if (key.account_login)
    text += " as " + account_label(*key.account_login, key.account_domain.value_or(""));
  return text;
}

struct ResolvedKey {
  RowId user_id;
  RowId target_id;
  std::optional<RowId> account_id;
};

ResolvedKey resolve(Database& db, const GrantKey& key) {
  ResolvedKey ids{db.users().get(key.user).id, db.targets().get(key.target).id, std::nullopt};
  if (key.account_login)
    ids.account_id = db.accounts().get({key.target, *key.account_login, key.account_domain}).id;
  return ids;
}

}  // namespace

Grant GrantRepository::add(const NewGrant& grant) {
  if (grant.valid_from && grant.valid_until && *grant.valid_until <= *grant.valid_from)
    throw InvalidInput("the grant's validity ends before it begins");
  auto& c = db_.connection();
  TxScope tx(c);
  auto ids = resolve(db_, grant.key);
  RowId id = 0;
  try {
    id = c.exec(
              "INSERT INTO grants (user_id, target_id, account_id, valid_from, valid_until, "
              "source_networks) VALUES ($1, $2, $3, $4, $5, $6::cidr[]) RETURNING id",
              {ids.user_id, ids.target_id, ids.account_id, grant.valid_from, grant.valid_until,
               pq::Param::text_array(grant.source_networks)})
             .int64(0, 0);
  } catch (const AlreadyExists&) {
    throw AlreadyExists(describe(grant.key) + " already exists");
  } catch (const InvalidInput& e) {
    throw InvalidInput(fmt::format("invalid source network: {}", e.what()));
  }
  auto r = c.exec(std::string(kSelect) + "WHERE g.id = $1", {pq::Param(id)});
  tx.commit();
  return to_grant(r, 0);
}

std::vector<Grant> GrantRepository::list(const GrantFilter& filter) {
  auto& c = db_.connection();
  if (filter.user) db_.users().get(*filter.user);
  if (filter.target) db_.targets().get(*filter.target);
  auto r = c.exec(std::string(kSelect) +
                      "WHERE ($1::text IS NULL OR lower(u.name) = lower($1)) "
                      "AND ($2::text IS NULL OR lower(t.name) = lower($2))" +
                      kOrder,
                  {filter.user, filter.target});
  return to_grants(r);
}

std::vector<Grant> GrantRepository::for_user_on_target(RowId user_id, RowId target_id) {
  auto r = db_.connection().exec(
      std::string(kSelect) + "WHERE g.user_id = $1 AND g.target_id = $2" + kOrder,
      {pq::Param(user_id), pq::Param(target_id)});
  return to_grants(r);
}

void GrantRepository::remove(const GrantKey& key) {
  auto& c = db_.connection();
  TxScope tx(c);
  auto ids = resolve(db_, key);
  auto r = c.exec(
      "DELETE FROM grants WHERE user_id = $1 AND target_id = $2 AND account_id IS NOT DISTINCT "
      "FROM $3",
      {ids.user_id, ids.target_id, ids.account_id});
  if (r.affected() == 0) throw NotFound("no " + describe(key));
  tx.commit();
}

}  // namespace rdpwarden::storage
