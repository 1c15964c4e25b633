#pragma once
// SQLSTATE → the typed errors of errors.hpp, with one-line messages. Repositories catch the
// generic forms (AlreadyExists, ConstraintViolation) where they can say more ("user ops1
// already exists").

#include <string>
#include <string_view>

#include <libpq-fe.h>

namespace rdpwarden::storage::pq {

// `result` may be null (libpq could not even make one). Always throws.
[[noreturn]] void throw_error(const PGresult* result, const PGconn* conn);

// A libpq or server message folded into one trimmed line.
std::string one_line(std::string_view message);

}  // namespace rdpwarden::storage::pq
