#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/transaction.hpp>

#include "pq/connection.hpp"

namespace rdpwarden::storage {

Transaction::Transaction(pq::Connection& connection) : connection_(&connection) {
  connection_->exec("BEGIN");
}

Transaction::Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
  other.connection_ = nullptr;
}

Transaction::~Transaction() {
  if (!connection_) return;
  try {
    connection_->exec("ROLLBACK");
  } catch (const StorageError&) {
    // The connection broke: the server rolled back already, and the pool drops the connection.
  }
}

void Transaction::commit() {
  if (!connection_) throw StorageError("the transaction is no longer open");
  auto* conn = connection_;
  connection_ = nullptr;
  conn->exec("COMMIT");
}

void Transaction::rollback() {
  if (!connection_) return;
  auto* conn = connection_;
  connection_ = nullptr;
  conn->exec("ROLLBACK");
}

}  // namespace rdpwarden::storage
