#include "pq/error_mapping.hpp"

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage::pq {
namespace {

std::string field(const PGresult* result, int code) {
  const char* value = result ? PQresultErrorField(result, code) : nullptr;
  return value ? value : "";
}

bool connection_lost(std::string_view state, const PGconn* conn) {
  if (!conn || PQstatus(conn) == CONNECTION_BAD) return true;
  // 08 connection exception, 53 insufficient resources, 57P01..03 shutdown / cannot connect now.
  return state.starts_with("08") || state.starts_with("53") || state == "57P01" ||
         state == "57P02" || state == "57P03";
}

}  // namespace

std::string one_line(std::string_view message) {
  std::string out;
  bool space = false;
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void throw_error(const PGresult* result, const PGconn* conn) {
  std::string state = field(result, PG_DIAG_SQLSTATE);
  std::string primary = one_line(field(result, PG_DIAG_MESSAGE_PRIMARY));
  std::string detail = one_line(field(result, PG_DIAG_MESSAGE_DETAIL));
  if (primary.empty()) primary = one_line(conn ? PQerrorMessage(conn) : "no connection");

  if (connection_lost(state, conn))
    throw Unavailable(fmt::format("database unavailable: {}", primary), state);
  if (state == "23505") throw AlreadyExists(primary, state);
  if (state.starts_with("23")) throw ConstraintViolation(primary, state);
  if (state.starts_with("22")) {
    throw InvalidInput(detail.empty() ? primary : fmt::format("{} ({})", primary, detail), state);
  }
  if (state == "RW001") throw AppendOnlyViolation(primary, state);
  if (state == "40001" || state == "40P01") throw TransientConflict(primary, state);
  throw StorageError(fmt::format("database error: {} (SQLSTATE {})", primary, state), state);
}

}  // namespace rdpwarden::storage::pq
