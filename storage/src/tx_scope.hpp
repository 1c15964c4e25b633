#pragma once
// For repository operations of several statements: joins the caller's transaction when one is
// open on the connection, else opens its own and commits it in commit().

#include <optional>

#include <rdpwarden/storage/transaction.hpp>

#include "pq/connection.hpp"

namespace rdpwarden::storage {

class TxScope {
 public:
  explicit TxScope(pq::Connection& connection) {
    if (!connection.in_transaction()) own_.emplace(connection);
  }
  void commit() {
    if (own_) own_->commit();
  }

 private:
  std::optional<Transaction> own_;
};

}  // namespace rdpwarden::storage
