#include <algorithm>

#include <fmt/format.h>

#include <rdpwarden/storage/audit_log.hpp>
#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "pq/connection.hpp"

namespace rdpwarden::storage {
namespace {

AuditEntry to_entry(const pq::Result& r, int row) {
  AuditEntry e;
  e.id = r.int64(row, 0);
  e.at = r.time(row, 1);
  e.actor = r.text(row, 2);
  e.actor_kind = parse_actor_kind(r.view(row, 3)).value_or(ActorKind::system);
  e.action = parse_audit_action(r.view(row, 4)).value_or(AuditAction::server_start);
  e.object = r.text(row, 5);
  e.client_address = r.text(row, 6);
  e.details_json = r.text(row, 7);
  return e;
}

}  // namespace

std::int64_t AuditLog::append(const AuditRecord& record) {
  if (record.actor.empty()) throw InvalidInput("an audit entry needs an actor");
  try {
    return db_.connection()
        .exec(
            "INSERT INTO audit_log (actor, actor_kind, action, object, client_address, details) "
            "VALUES ($1, $2, $3, $4, $5::inet, $6::jsonb) RETURNING id",
            {record.actor.substr(0, 256), to_string(record.actor_kind), to_string(record.action),
             record.object,
             record.client_address.empty() ? std::optional<std::string>() : record.client_address,
             record.details_json.empty() ? std::string("{}") : record.details_json})
        .int64(0, 0);
  } catch (const ConstraintViolation&) {
    throw InvalidInput("an audit entry's details are not a JSON object");
  }
}

AuditPage AuditLog::list(const AuditFilter& filter) {
  auto& c = db_.connection();
  std::vector<std::string> actions;
  for (auto a : filter.actions)
    actions.emplace_back(to_string(a));
  std::optional<std::string> action_array;
  if (!actions.empty()) action_array = pq::Param::text_array(actions).value();
  std::vector<pq::Param> params{filter.actor, action_array, filter.from, filter.before};
  const std::string where =
      "WHERE ($1::text IS NULL OR lower(actor) = lower($1)) "
      "AND ($2::text[] IS NULL OR action = ANY ($2::text[])) "
      "AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)";
  AuditPage page;
  page.total = c.exec("SELECT count(*) FROM audit_log " + where, params).int64(0, 0);
  params.emplace_back(std::clamp<std::int64_t>(filter.limit, 0, 1000));
  params.emplace_back(std::max<std::int64_t>(filter.offset, 0));
  auto r = c.exec(
      "SELECT id, at, actor, actor_kind, action, object, coalesce(host(client_address), ''), "
      "details::text FROM audit_log " +
          where + " ORDER BY id DESC LIMIT $5 OFFSET $6",
      params);
  for (int i = 0; i < r.rows(); ++i)
    page.entries.push_back(to_entry(r, i));
  return page;
}

}  // namespace rdpwarden::storage
