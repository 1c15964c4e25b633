#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/target_repository.hpp>

#include "pq/connection.hpp"
#include "tx_scope.hpp"
#include "validation.hpp"

namespace rdpwarden::storage {
namespace {

constexpr const char* kColumns =
    "id, name, host, port, coalesce(fingerprint, ''), fingerprint_origin, created_at";

Target to_target(const pq::Result& r, int row) {
  Target t;
  t.id = r.int64(row, 0);
  t.name = r.text(row, 1);
  t.host = r.text(row, 2);
  t.port = static_cast<std::uint16_t>(r.int64(row, 3));
  t.fingerprint = r.text(row, 4);
  auto origin = r.view(row, 5);
  t.fingerprint_origin = origin == "pinned"       ? FingerprintOrigin::pinned
                         : origin == "first_seen" ? FingerprintOrigin::first_seen
                                                  : FingerprintOrigin::none;
  t.created_at = r.time(row, 6);
  return t;
}

std::string plural(std::int64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace

Target TargetRepository::add(const NewTarget& target) {
  require_name("target", target.name);
  if (!is_valid_host(target.host))
    throw InvalidInput(fmt::format("invalid host '{}': give a DNS name or an IP address",
                                   target.host.substr(0, 80)));
  if (target.port == 0) throw InvalidInput("invalid port 0: use 1 to 65535");
  std::optional<std::string> fingerprint;
  if (!target.fingerprint.empty()) {
    fingerprint = normalize_fingerprint(target.fingerprint);
    if (!fingerprint)
      throw InvalidInput("invalid fingerprint: give the certificate's SHA-256 as 64 hex digits");
  }
  try {
    auto r = db_.connection().exec(
        fmt::format("INSERT INTO targets (name, host, port, fingerprint, fingerprint_origin) "
                    "VALUES ($1, $2, $3, $4, CASE WHEN $4::text IS NULL THEN 'none' ELSE "
                    "'pinned' END) RETURNING {}",
                    kColumns),
        {target.name, target.host, static_cast<int>(target.port), fingerprint});
    return to_target(r, 0);
  } catch (const AlreadyExists&) {
    throw AlreadyExists(fmt::format("target {} already exists", target.name));
  }
}

std::optional<Target> TargetRepository::find(std::string_view name) {
  auto r = db_.connection().exec(
      fmt::format("SELECT {} FROM targets WHERE lower(name) = lower($1)", kColumns), {name});
  if (r.empty()) return std::nullopt;
  return to_target(r, 0);
}

Target TargetRepository::get(std::string_view name) {
  auto target = find(name);
  if (!target) throw NotFound(fmt::format("no target named {}", name));
  return std::move(*target);
}

std::vector<Target> TargetRepository::list() {
  auto r =
      db_.connection().exec(fmt::format("SELECT {} FROM targets ORDER BY lower(name)", kColumns),
                            std::vector<pq::Param>{});
  std::vector<Target> targets;
  for (int i = 0; i < r.rows(); ++i)
    targets.push_back(to_target(r, i));
  return targets;
}

TargetRemoval TargetRepository::remove(std::string_view name, bool cascade) {
  auto& c = db_.connection();
  TxScope tx(c);
  auto r = c.exec(
      "SELECT t.id, t.name, (SELECT count(*) FROM accounts a WHERE a.target_id = t.id), "
      "(SELECT count(*) FROM grants g WHERE g.target_id = t.id) FROM targets t "
      "WHERE lower(t.name) = lower($1) FOR UPDATE",
      {name});
  if (r.empty()) throw NotFound(fmt::format("no target named {}", name));
  RowId id = r.int64(0, 0);
  TargetRemoval removal{r.int64(0, 2), r.int64(0, 3)};
  if (!cascade && (removal.accounts || removal.grants)) {
    std::string left =
        removal.accounts && removal.grants
            ? plural(removal.accounts, "account") + " and " + plural(removal.grants, "grant")
        : removal.accounts ? plural(removal.accounts, "account")
                           : plural(removal.grants, "grant");
    throw ConstraintViolation(fmt::format("target {} still has {}", r.text(0, 1), left));
  }
  c.exec("DELETE FROM grants WHERE target_id = $1", {id});
  c.exec("DELETE FROM accounts WHERE target_id = $1", {id});
  c.exec("DELETE FROM targets WHERE id = $1", {id});
  tx.commit();
  return cascade ? removal : TargetRemoval{};
}

Target TargetRepository::record_first_fingerprint(RowId target_id, std::string_view fingerprint) {
  auto normalized = normalize_fingerprint(fingerprint);
  if (!normalized) throw InvalidInput("invalid certificate fingerprint");
  auto& c = db_.connection();
  c.exec(
      "UPDATE targets SET fingerprint = $2, fingerprint_origin = 'first_seen' "
      "WHERE id = $1 AND fingerprint IS NULL",
      {target_id, *normalized});
  auto r = c.exec(fmt::format("SELECT {} FROM targets WHERE id = $1", kColumns), {target_id});
  if (r.empty()) throw NotFound(fmt::format("no target with id {}", target_id));
  return to_target(r, 0);
}

}  // namespace rdpwarden::storage
