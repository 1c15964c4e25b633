#pragma once
// A thread-safe pool of Database connections for the gateway and the web console. Connections
// are opened lazily up to `max_connections`; a lease returns its connection when destroyed, and a
// connection that broke or was left inside a transaction is closed instead of reused.
//
//   auto lease = pool.acquire();
//   auto sessions = lease->sessions().list(filter);

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <rdpwarden/storage/database.hpp>

namespace rdpwarden::storage {

class ConnectionPool {
 public:
  ConnectionPool(std::string conninfo, std::shared_ptr<KeyRing> keys,
                 std::size_t max_connections = 4);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();  // every lease must have been returned

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool& pool, std::unique_ptr<Database> db);
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };

  // Waits up to `timeout` for a free connection. Throws Unavailable on timeout or when a new
  // connection cannot be opened.
  Lease acquire(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  std::size_t max_connections() const { return max_; }
  std::size_t open_connections() const;

 private:
  void give_back(std::unique_ptr<Database> db) noexcept;

  const std::string conninfo_;
  const std::shared_ptr<KeyRing> keys_;
  const std::size_t max_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Database>> idle_;
  std::size_t open_ = 0;  // idle + leased + being opened
};

}  // namespace rdpwarden::storage
