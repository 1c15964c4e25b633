#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/key_rotation.hpp>

#include "pq/connection.hpp"

namespace rdpwarden::storage {
namespace {

struct SealedColumn {
  const char* table;
  const char* key_column;
  const char* blob_column;
  const char* context_format;  // must match the repository that sealed it
};

constexpr SealedColumn kSealedColumns[] = {
    {"users", "nt_hash_key_id", "nt_hash_sealed", "user:{}:nt_hash"},
    {"accounts", "password_key_id", "password_sealed", "account:{}:password"},
};

std::int64_t reseal(pq::Connection& c, KeyRing& keys, const SealedColumn& col,
                    const std::string& new_id) {
  auto rows = c.exec(fmt::format("SELECT id, {}, {} FROM {} ORDER BY id", col.key_column,
                                 col.blob_column, col.table),
                     std::vector<pq::Param>{});
  for (int i = 0; i < rows.rows(); ++i) {
    auto id = rows.int64(i, 0);
    auto context = fmt::format(fmt::runtime(col.context_format), id);
    auto plain = keys.unseal(context, SealedSecret{rows.text(i, 1), rows.bytes(i, 2)});
    auto sealed = keys.seal_with(new_id, context, plain.bytes());
    c.exec(fmt::format("UPDATE {} SET {} = $2, {} = $3 WHERE id = $1", col.table, col.key_column,
                       col.blob_column),
           {id, sealed.key_id, pq::Param::bytes(sealed.blob)});
  }
  return rows.rows();
}

}  // namespace

RotationReport rotate_master_key(Database& db, AuditRecord audit) {
  auto& keys = db.keys();
  auto& c = db.connection();
  RotationReport report;
  report.old_key_id = keys.current_id();
  report.new_key_id = keys.stage_new_key();
  try {
    auto tx = db.begin();
    // Writers of sealed secrets wait until the rotation commits, so nothing sealed with the
    // old key slips in behind it.
    c.exec("LOCK TABLE users, accounts IN SHARE ROW EXCLUSIVE MODE");
    for (const auto& col : kSealedColumns)
      report.resealed += reseal(c, keys, col, report.new_key_id);
    audit.action = AuditAction::key_rotate;
    audit.object = "master key";
    audit.details_json = fmt::format(R"({{"from": "{}", "to": "{}", "resealed": {}}})",
                                     report.old_key_id, report.new_key_id, report.resealed);
    db.audit().append(audit);
    tx.commit();
  } catch (...) {
    keys.discard(report.new_key_id);
    throw;
  }
  keys.promote(report.new_key_id);
  return report;
}

std::vector<std::string> key_ids_in_use(Database& db) {
  auto r = db.connection().exec(
      "SELECT nt_hash_key_id FROM users UNION SELECT password_key_id FROM accounts ORDER BY 1",
      std::vector<pq::Param>{});
  std::vector<std::string> ids;
  for (int i = 0; i < r.rows(); ++i)
    ids.push_back(r.text(i, 0));
  return ids;
}

}  // namespace rdpwarden::storage
