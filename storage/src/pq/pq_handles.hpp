#pragma once
// libpq handles as unique_ptrs, made only by factories that check for null.

#include <memory>

#include <libpq-fe.h>

namespace rdpwarden::storage::pq {

struct ConnDeleter {
  void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};

using ConnHandle = std::unique_ptr<PGconn, ConnDeleter>;
using ResultHandle = std::unique_ptr<PGresult, ResultDeleter>;

// PQconnectdbParams (expand_dbname on); null only when libpq is out of memory: std::bad_alloc.
ConnHandle connect_params(const char* const* keywords, const char* const* values);
// Null (out of memory, or the connection is gone before a result could be made) becomes an
// empty handle the caller maps through the connection's error message.
ResultHandle adopt(PGresult* result) noexcept;

}  // namespace rdpwarden::storage::pq
