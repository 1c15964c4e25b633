#pragma once
// One libpq connection. Every query is parameterized (PQexecParams); only migrations run
// parameterless scripts. Failures throw the typed errors of errors.hpp.

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "pq/param.hpp"
#include "pq/pq_handles.hpp"
#include "pq/result.hpp"

namespace rdpwarden::storage::pq {

class Connection {
 public:
  // Throws Unavailable with libpq's reason in one line.
  static std::unique_ptr<Connection> open(const std::string& conninfo);

  Result exec(const char* sql, std::initializer_list<Param> params = {});
  Result exec(const char* sql, const std::vector<Param>& params);
  Result exec(const std::string& sql, const std::vector<Param>& params) {
    return exec(sql.c_str(), params);
  }
  // Several statements, no parameters (migration scripts). Throws like exec.
  void exec_script(const std::string& sql);

  bool in_transaction() const;
  // Connected and idle, as far as can be told without a round trip.
  bool healthy();

 private:
  explicit Connection(ConnHandle conn) : conn_(std::move(conn)) {}
  Result exec_impl(const char* sql, const Param* params, std::size_t count);
  ConnHandle conn_;
};

}  // namespace rdpwarden::storage::pq
