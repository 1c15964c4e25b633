#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/event_repository.hpp>

#include "pq/connection.hpp"
#include "validation.hpp"

namespace rdpwarden::storage {
namespace {

bool is_kind(std::string_view kind) {
  // A catalogue name: lowercase words joined by dots ("session.start", "key", "text").
  static const std::regex pattern("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$");
  return kind.size() <= 64 && std::regex_match(kind.begin(), kind.end(), pattern);
}

}  // namespace

void EventRepository::append(std::string_view session_id, std::span<const EventRecord> events) {
  if (events.empty()) return;
  if (!is_uuid(session_id)) throw NotFound(fmt::format("no session {}", session_id.substr(0, 40)));
  std::vector<std::string> times, kinds, data;
  for (const auto& e : events) {
    if (!is_kind(e.kind))
      throw InvalidInput(fmt::format("invalid event kind '{}'", e.kind.substr(0, 64)));
    if (e.t_ms < 0) throw InvalidInput("an event's time is negative");
    times.push_back(std::to_string(e.t_ms));
    kinds.push_back(e.kind);
    data.push_back(e.data_json.empty() ? "{}" : e.data_json);
  }
  try {
    db_.connection().exec(
        "INSERT INTO events (session_id, t_ms, kind, data) "
        "SELECT $1, x.t, x.k, x.d::jsonb FROM unnest($2::bigint[], $3::text[], $4::text[]) "
        "WITH ORDINALITY AS x(t, k, d, n) ORDER BY x.n",
        {session_id, pq::Param::text_array(times), pq::Param::text_array(kinds),
         pq::Param::text_array(data)});
  } catch (const ConstraintViolation& e) {
    if (e.sqlstate() == "23503") throw NotFound(fmt::format("no session {}", session_id));
    throw InvalidInput("an event's data is not a JSON object");
  } catch (const InvalidInput& e) {
    throw InvalidInput(fmt::format("an event's data is not valid JSON: {}", e.what()));
  }
}

std::vector<StoredEvent> EventRepository::list(std::string_view session_id,
                                               const EventQuery& query) {
  if (!is_uuid(session_id)) return {};
  std::optional<std::string> kinds;
  if (!query.kinds.empty()) kinds = pq::Param::text_array(query.kinds).value();
  auto r = db_.connection().exec(
      "SELECT seq, t_ms, kind, data::text FROM events WHERE session_id = $1 "
      "AND ($2::text[] IS NULL OR kind = ANY ($2::text[])) "
      "AND ($3::bigint IS NULL OR t_ms >= $3) AND ($4::bigint IS NULL OR t_ms < $4) "
      "AND seq > $5 ORDER BY seq LIMIT $6",
      {session_id, kinds, query.from_ms, query.until_ms, query.after_seq,
       std::clamp<std::int64_t>(query.limit, 0, 10000)});
  std::vector<StoredEvent> events;
  for (int i = 0; i < r.rows(); ++i)
    events.push_back({r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.text(i, 3)});
  return events;
}

}  // namespace rdpwarden::storage
