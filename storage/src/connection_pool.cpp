#include <rdpwarden/storage/connection_pool.hpp>
#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage {

ConnectionPool::ConnectionPool(std::string conninfo, std::shared_ptr<KeyRing> keys,
                               std::size_t max_connections)
    : conninfo_(std::move(conninfo)),
      keys_(std::move(keys)),
      max_(max_connections ? max_connections : 1) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<Database> db)
    : pool_(&pool), db_(std::move(db)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), db_(std::move(other.db_)) {}

ConnectionPool::Lease::~Lease() {
  if (db_) pool_->give_back(std::move(db_));
}

ConnectionPool::Lease ConnectionPool::acquire(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  bool ready =
      available_.wait_for(lock, timeout, [this] { return !idle_.empty() || open_ < max_; });
  if (!ready) throw Unavailable("database unavailable: every pooled connection stayed busy");
  while (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    if (db->reusable()) return Lease(*this, std::move(db));
    --open_;  // it died while idle (a server restart): open a fresh one below
  }
  ++open_;  // reserve the slot, connect without holding the lock
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Database>(Database::connect(conninfo_, keys_)));
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void ConnectionPool::give_back(std::unique_ptr<Database> db) noexcept {
  std::lock_guard lock(mutex_);
  if (db->reusable()) {
    idle_.push_back(std::move(db));
  } else {
    db.reset();  // broken, or left inside a transaction: close it, a fresh one replaces it
    --open_;
  }
  available_.notify_one();
}

std::size_t ConnectionPool::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace rdpwarden::storage
