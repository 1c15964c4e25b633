#include "cluster/file_lock.hpp"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage::cluster {

FileLock::FileLock(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0)
    throw Unavailable(
        fmt::format("cannot open lock file {}: {}", path.string(), std::strerror(errno)));
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
}

bool FileLock::try_lock_exclusive() {
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return false;
    throw Unavailable(fmt::format("cannot lock {}: {}", path_.string(), std::strerror(errno)));
  }
  return true;
}

bool FileLock::lock_exclusive(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!try_lock_exclusive()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

void FileLock::lock_shared() {
  while (::flock(fd_, LOCK_SH) != 0) {
    if (errno == EINTR) continue;
    throw Unavailable(fmt::format("cannot lock {}: {}", path_.string(), std::strerror(errno)));
  }
}

void FileLock::unlock() {
  ::flock(fd_, LOCK_UN);
}

}  // namespace rdpwarden::storage::cluster
