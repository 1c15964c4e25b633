#pragma once
// A database transaction that rolls back unless commit() is called (RAII, like libpqxx's).

namespace rdpwarden::storage {

namespace pq {
class Connection;
}

class Transaction {
 public:
  explicit Transaction(pq::Connection& connection);  // BEGIN; throws StorageError
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();  // ROLLBACK when still open; never throws

  void commit();    // throws the mapped StorageError (e.g. a deferred constraint)
  void rollback();  // explicit, for readability; the destructor does the same
  bool open() const { return connection_ != nullptr; }

 private:
  pq::Connection* connection_;
};

}  // namespace rdpwarden::storage
