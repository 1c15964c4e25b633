#include "pq/pq_handles.hpp"
#include <new>

namespace rdpwarden::storage::pq {

ConnHandle connect_params(const char* const* keywords, const char* const* values) {
  ConnHandle conn(PQconnectdbParams(keywords, values, 1));
  if (!conn) throw std::bad_alloc();
  return conn;
}

ResultHandle adopt(PGresult* result) noexcept {
  return ResultHandle(result);
}

}  // namespace rdpwarden::storage::pq
