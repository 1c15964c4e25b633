#include "pq/connection.hpp"
#include <poll.h>

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>

#include "pq/error_mapping.hpp"

namespace rdpwarden::storage::pq {
namespace {

// Every connection talks UTC and ISO dates (the text codec relies on it) and says who it is.
constexpr const char* kSessionSetup =
    "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET IntervalStyle TO 'iso_8601'; "
    "SET client_min_messages TO warning";

// libpq prints notices and warnings to stderr by default; the CLI's output is one line per
// outcome and the server has its own log, so they are dropped (errors still throw).
void ignore_notice(void*, const char*) noexcept {}

}  // namespace

std::unique_ptr<Connection> Connection::open(const std::string& conninfo) {
  // Keywords before dbname are defaults the URL (expanded from dbname) may override.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "client_encoding",
                            "dbname", nullptr};
  const char* values[] = {"10", "rdpwarden", "UTF8", conninfo.c_str(), nullptr};
  ConnHandle conn = connect_params(keywords, values);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw Unavailable(
        fmt::format("database unavailable: {}", one_line(PQerrorMessage(conn.get()))));
  PQsetNoticeProcessor(conn.get(), ignore_notice, nullptr);
  std::unique_ptr<Connection> connection(new Connection(std::move(conn)));
  connection->exec_script(kSessionSetup);
  return connection;
}

Result Connection::exec(const char* sql, std::initializer_list<Param> params) {
  return exec_impl(sql, params.begin(), params.size());
}

Result Connection::exec(const char* sql, const std::vector<Param>& params) {
  return exec_impl(sql, params.data(), params.size());
}

Result Connection::exec_impl(const char* sql, const Param* params, std::size_t count) {
  std::vector<const char*> values(count);
  std::vector<int> lengths(count), formats(count);
  for (std::size_t i = 0; i < count; ++i) {
    values[i] = params[i].is_null() ? nullptr : params[i].value().data();
    lengths[i] = params[i].is_null() ? 0 : static_cast<int>(params[i].value().size());
    formats[i] = params[i].binary() ? 1 : 0;
  }
  ResultHandle result = adopt(PQexecParams(conn_.get(), sql, static_cast<int>(count), nullptr,
                                           values.data(), lengths.data(), formats.data(), 0));
  auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw_error(result.get(), conn_.get());
  return Result(std::move(result));
}

void Connection::exec_script(const std::string& sql) {
  ResultHandle result = adopt(PQexec(conn_.get(), sql.c_str()));
  auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw_error(result.get(), conn_.get());
}

bool Connection::in_transaction() const {
  auto status = PQtransactionStatus(conn_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

bool Connection::healthy() {
  if (PQstatus(conn_.get()) != CONNECTION_OK || PQtransactionStatus(conn_.get()) != PQTRANS_IDLE)
    return false;
  // An idle connection has nothing to read (storage never LISTENs). Anything there — the FATAL
  // of a server that shut down or ended this backend, or EOF — means it is gone.
  pollfd fd{PQsocket(conn_.get()), POLLIN, 0};
  return ::poll(&fd, 1, 0) == 0;
}

}  // namespace rdpwarden::storage::pq
