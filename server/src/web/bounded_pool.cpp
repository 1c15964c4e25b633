#include "web/bounded_pool.hpp"
#include <exception>

#include "util/log.hpp"

namespace rdpwarden::server::web {

BoundedPool::BoundedPool(int threads, std::size_t max_queued) : max_queued_(max_queued) {
  if (threads < 1) threads = 1;
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i)
    threads_.emplace_back([this] { run(); });
}

BoundedPool::~BoundedPool() {
  stop();
}

bool BoundedPool::try_post(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

std::size_t BoundedPool::load() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + running_;
}

void BoundedPool::stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  dropped.clear();  // outside the lock: a job's captures may take locks of their own
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  std::lock_guard lock(mutex_);
  threads_.clear();
}

void BoundedPool::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    try {
      job();
    } catch (const std::exception& e) {
      log::error("web: background job failed: {}", e.what());
    } catch (...) {
      log::error("web: background job failed");
    }
    job = nullptr;
    std::lock_guard lock(mutex_);
    --running_;
  }
}

}  // namespace rdpwarden::server::web
