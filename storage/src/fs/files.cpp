#include "fs/files.hpp"
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include <openssl/crypto.h>

namespace rdpwarden::storage::fs {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace

void sync_dir(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) fail("cannot sync", dir);
}

namespace {

// Writes `content` durably to a temporary name beside `path` and returns that name.
std::filesystem::path write_temporary(const std::filesystem::path& path, std::string_view content,
                                      mode_t mode) {
  static std::atomic<unsigned> counter{0};
  auto temp = path;
  temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
  if (fd.get() < 0) fail("cannot create", temp);
  if (::fchmod(fd.get(), mode) != 0) fail("cannot chmod", temp);
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write", temp);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) fail("cannot sync", temp);
  if (::close(fd.release()) != 0) fail("cannot close", temp);
  return temp;
}

}  // namespace

void write_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  auto temp = write_temporary(path, content, mode);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    fail("cannot rename onto", path);
  }
  sync_dir(path.parent_path().empty() ? "." : path.parent_path());
}

bool create_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  auto temp = write_temporary(path, content, mode);
  int rc = ::link(temp.c_str(), path.c_str());
  int saved = errno;
  ::unlink(temp.c_str());
  if (rc != 0 && saved == EEXIST) return false;
  errno = saved;
  if (rc != 0) fail("cannot create", path);
  sync_dir(path.parent_path().empty() ? "." : path.parent_path());
  return true;
}

SecretBytes read_secret_file(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) fail("cannot open", path);
  std::vector<std::byte> buffer(4096);
  std::size_t size = 0;
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer.data() + size, buffer.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      OPENSSL_cleanse(buffer.data(), buffer.size());
      fail("cannot read", path);
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
    if (size == buffer.size()) break;  // key files are one short line; ignore anything longer
  }
  SecretBytes content(std::span<const std::byte>(buffer.data(), size));
  OPENSSL_cleanse(buffer.data(), buffer.size());
  return content;
}

bool make_private_dir(const std::filesystem::path& dir, mode_t mode) {
  std::error_code ec;
  if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
  if (ec) throw std::system_error(ec, "cannot create " + dir.parent_path().string());
  if (::mkdir(dir.c_str(), mode) != 0) {
    if (errno == EEXIST && std::filesystem::is_directory(dir)) return false;
    fail("cannot create", dir);
  }
  if (::chmod(dir.c_str(), mode) != 0) fail("cannot chmod", dir);  // mkdir honours the umask
  return true;
}

}  // namespace rdpwarden::storage::fs
