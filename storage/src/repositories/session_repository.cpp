#include <algorithm>

#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/session_repository.hpp>

#include "pq/connection.hpp"
#include "validation.hpp"

namespace rdpwarden::storage {
namespace {

constexpr const char* kSelect =
    "SELECT s.id, s.user_name, s.target_name, s.account_login, s.account_domain, "
    "coalesce(host(s.client_address), ''), coalesce(s.worker_pid, 0), s.state, s.started_at, "
    "s.ended_at, s.end_reason, s.duration_ms, s.recording_bytes FROM sessions s ";

Session to_session(const pq::Result& r, int row) {
  Session s;
  s.id = r.text(row, 0);
  s.user_name = r.text(row, 1);
  s.target_name = r.text(row, 2);
  s.account_login = r.text(row, 3);
  s.account_domain = r.text(row, 4);
  s.client_address = r.text(row, 5);
  s.worker_pid = static_cast<int>(r.int64(row, 6));
  s.state = parse_session_state(r.view(row, 7)).value_or(SessionState::failed);
  s.started_at = r.time(row, 8);
  s.ended_at = r.opt_time(row, 9);
  s.end_reason = r.text(row, 10);
  if (auto ms = r.opt_int64(row, 11)) s.duration = std::chrono::milliseconds(*ms);
  s.recording_bytes = r.int64(row, 12);
  return s;
}

std::vector<Session> to_sessions(const pq::Result& r) {
  std::vector<Session> sessions;
  for (int i = 0; i < r.rows(); ++i)
    sessions.push_back(to_session(r, i));
  return sessions;
}

std::optional<std::string> address_or_null(const std::string& address) {
  if (address.empty()) return std::nullopt;
  return address;
}

// The WHERE clause of a session search; every value goes in as a parameter.
std::string where_clause(const SessionFilter& f, std::vector<pq::Param>& params) {
  std::string where = "WHERE true";
  auto add = [&](std::string_view condition, pq::Param value) {
    params.push_back(std::move(value));
    where += fmt::format(" AND {}", fmt::format(fmt::runtime(condition), params.size()));
  };
  if (f.user) add("lower(s.user_name) = lower(${})", *f.user);
  if (f.target) add("lower(s.target_name) = lower(${})", *f.target);
  if (f.account) add("lower(s.account_login) = lower(${})", *f.account);
  if (f.started_from) add("s.started_at >= ${}", pq::Param::time(*f.started_from));
  if (f.started_before) add("s.started_at < ${}", pq::Param::time(*f.started_before));
  if (f.state) add("s.state = ${}", to_string(*f.state));
  if (!f.text.empty())
    add("EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.id AND e.typed_text @@ "
        "websearch_to_tsquery('simple', ${}))",
        f.text);
  return where;
}

}  // namespace

std::string SessionRepository::create(const NewSession& session) {
  if (!session.id.empty() && !is_uuid(session.id))
    throw InvalidInput(fmt::format("invalid session id '{}'", session.id.substr(0, 40)));
  auto r = db_.connection().exec(
      "INSERT INTO sessions (id, user_id, user_name, target_id, target_name, account_id, "
      "account_login, account_domain, client_address, worker_pid) "
      "SELECT coalesce($1::uuid, gen_random_uuid()), u.id, u.name, t.id, t.name, a.id, "
      "coalesce(a.login, ''), coalesce(a.domain, ''), $5::inet, $6 "
      "FROM users u CROSS JOIN targets t LEFT JOIN accounts a ON a.id = $4 AND a.target_id = t.id "
      "WHERE u.id = $2 AND t.id = $3 AND ($4::bigint IS NULL OR a.id IS NOT NULL) RETURNING id",
      {session.id.empty() ? std::optional<std::string>() : session.id, session.user_id,
       session.target_id, session.account_id, address_or_null(session.client_address),
       session.worker_pid});
  if (r.empty()) throw NotFound("the session's user, target or account no longer exists");
  return r.text(0, 0);
}

void SessionRepository::end(std::string_view id, const SessionEnd& end) {
  if (end.state == SessionState::live) throw InvalidInput("a session cannot end as live");
  if (!is_uuid(id)) throw NotFound(fmt::format("no session {}", id.substr(0, 40)));
  auto& c = db_.connection();
  auto r = c.exec(
      "UPDATE sessions SET state = $2, end_reason = $3, duration_ms = $4, recording_bytes = $5, "
      "ended_at = now() WHERE id = $1 AND state = 'live'",
      {id, to_string(end.state), end.reason,
       static_cast<std::int64_t>(std::max<std::int64_t>(end.duration.count(), 0)),
       std::max<std::int64_t>(end.recording_bytes, 0)});
  if (r.affected() == 1) return;
  if (c.exec("SELECT 1 FROM sessions WHERE id = $1", {id}).empty())
    throw NotFound(fmt::format("no session {}", id));
  throw ConstraintViolation(fmt::format("session {} has already ended", id));
}

std::optional<Session> SessionRepository::get(std::string_view id) {
  if (!is_uuid(id)) return std::nullopt;
  auto r = db_.connection().exec(std::string(kSelect) + "WHERE s.id = $1", {pq::Param(id)});
  if (r.empty()) return std::nullopt;
  return to_session(r, 0);
}

SessionPage SessionRepository::list(const SessionFilter& filter) {
  auto& c = db_.connection();
  std::vector<pq::Param> params;
  std::string where = where_clause(filter, params);
  SessionPage page;
  page.total = c.exec("SELECT count(*) FROM sessions s " + where, params).int64(0, 0);
  params.emplace_back(std::clamp<std::int64_t>(filter.limit, 0, 1000));
  params.emplace_back(std::max<std::int64_t>(filter.offset, 0));
  auto r = c.exec(fmt::format("{}{} ORDER BY (s.state = 'live') DESC, s.started_at DESC, s.id "
                              "LIMIT ${} OFFSET ${}",
                              kSelect, where, params.size() - 1, params.size()),
                  params);
  page.sessions = to_sessions(r);
  return page;
}

std::vector<Session> SessionRepository::live() {
  auto r = db_.connection().exec(
      std::string(kSelect) + "WHERE s.state = 'live' ORDER BY s.started_at DESC",
      std::vector<pq::Param>{});
  return to_sessions(r);
}

std::int64_t SessionRepository::interrupt_live(std::string_view reason) {
  auto r = db_.connection().exec(
      "UPDATE sessions SET state = 'interrupted', end_reason = $1, ended_at = now(), "
      "duration_ms = greatest(0, floor(extract(epoch FROM now() - started_at) * 1000))::bigint "
      "WHERE state = 'live'",
      {reason});
  return r.affected();
}

}  // namespace rdpwarden::storage
