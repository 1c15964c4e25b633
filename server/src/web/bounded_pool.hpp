#pragma once
// A few threads for CPU-bound jobs (seek fragments: tens of ms each, seconds on a cold cache)
// with a bounded queue, so that such jobs neither occupy the handler pool nor pile up: when the
// queue is full the caller is told at once and answers 503 instead of making the client wait.
//
// Threading: try_post and stop are thread-safe. Jobs run on the pool's threads; a job that
// throws is logged and dropped (it must report its own failure before throwing, if it cares).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rdpwarden::server::web {

class BoundedPool {
 public:
  using Job = std::function<void()>;

  // `threads` >= 1 run jobs; at most `max_queued` jobs wait for a thread.
  BoundedPool(int threads, std::size_t max_queued);
  ~BoundedPool();
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  // Queues `job`; false when the queue is full or the pool stopped (the job is not kept).
  bool try_post(Job job);

  // Jobs waiting or running.
  std::size_t load() const;

  // Lets running jobs finish, destroys queued ones without running them, joins the threads.
  // Idempotent; try_post fails afterwards.
  void stop();

 private:
  void run();

  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rdpwarden::server::web
