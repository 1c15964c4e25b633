#pragma once
// An flock(2) on a file, released when this object goes or the process dies (also kill -9).
// Each FileLock opens its own file description, so two in one process exclude each other
// like two processes would.

#include <chrono>
#include <filesystem>

namespace rdpwarden::storage::cluster {

class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);  // opens (creates 0600); throws
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  // Waits up to `timeout`; false when it ran out.
  bool lock_exclusive(std::chrono::milliseconds timeout);
  bool try_lock_exclusive();
  void lock_shared();  // blocks; shared holders only wait for a brief exclusive one
  void unlock();

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace rdpwarden::storage::cluster
