#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "pq/connection.hpp"

namespace rdpwarden::storage {

Database Database::connect(const std::string& conninfo, std::shared_ptr<KeyRing> keys) {
  return Database(pq::Connection::open(conninfo), std::move(keys));
}

Database::Database(std::unique_ptr<pq::Connection> connection, std::shared_ptr<KeyRing> keys)
    : connection_(std::move(connection)), keys_(std::move(keys)) {}

Database::Database(Database&& other) noexcept = default;
Database& Database::operator=(Database&& other) noexcept = default;
Database::~Database() = default;

Transaction Database::begin() {
  if (connection_->in_transaction())
    throw StorageError("a transaction is already open on this connection");
  return Transaction(*connection_);
}

bool Database::in_transaction() const {
  return connection_->in_transaction();
}

bool Database::reusable() const {
  return connection_->healthy();
}

KeyRing& Database::keys() const {
  if (!keys_) throw KeyError("no master key is loaded for this database connection");
  return *keys_;
}

}  // namespace rdpwarden::storage
