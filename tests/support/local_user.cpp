#include "support/local_user.hpp"
#include <fcntl.h>
#include <fstream>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include "support/fixture_error.hpp"
#include "support/process.hpp"
#include "support/random_text.hpp"

namespace rdpwarden::test {
namespace {

const std::filesystem::path kStateDir = "/var/lib/rdpwarden-test";

// Holds an exclusive flock for its lifetime.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& file)
      : fd_(open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ < 0 || flock(fd_, LOCK_EX) != 0) throw FixtureError("cannot lock " + file.string());
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() { close(fd_); }

 private:
  int fd_;
};

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check(const RunResult& r, const std::string& what) {
  if (r.exit_code != 0)
    throw FixtureError(what + " failed (exit " + std::to_string(r.exit_code) + "): " + r.err);
}

std::string stored_password(const std::string& name) {
  auto file = kStateDir / (name + ".password");
  std::string password = read_text(file);
  if (password.size() >= 16) return password;
  password = random_text(20);
  auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << password;
    if (!out.flush()) throw FixtureError("cannot write " + tmp);
  }
  std::filesystem::permissions(
      tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::rename(tmp, file);
  return password;
}

}  // namespace

LocalUser ensure_local_user(const std::string& name) {
  if (geteuid() != 0) throw FixtureError("a local test user needs root (useradd, chpasswd)");
  std::filesystem::create_directories(kStateDir);
  std::filesystem::permissions(kStateDir, std::filesystem::perms::owner_all);
  FileLock lock(kStateDir / (name + ".lock"));
  if (!getpwnam(name.c_str())) check(run({"useradd", "-m", "-s", "/bin/bash", name}), "useradd");
  LocalUser user;
  user.name = name;
  user.password = stored_password(name);
  // chpasswd reads "name:password" on stdin, keeping the password out of argv.
  RunOptions chpasswd;
  chpasswd.stdin_text = name + ":" + user.password + "\n";
  check(run({"chpasswd"}, chpasswd), "chpasswd");
  const passwd* pw = getpwnam(name.c_str());
  if (!pw) throw FixtureError("user " + name + " vanished");
  user.uid = pw->pw_uid;
  user.gid = pw->pw_gid;
  user.home = pw->pw_dir;
  return user;
}

void install_user_file(const LocalUser& user, const std::filesystem::path& file,
                       const std::string& content, std::filesystem::perms mode) {
  if (std::filesystem::exists(file) && read_text(file) == content) return;
  auto tmp = file.string() + "." + std::to_string(getpid()) + ".tmp";
  {
    std::ofstream out(tmp);
    out << content;
    if (!out.flush()) throw FixtureError("cannot write " + tmp);
  }
  std::filesystem::permissions(tmp, mode);
  if (chown(tmp.c_str(), user.uid, user.gid) != 0) throw FixtureError("cannot chown " + tmp);
  std::filesystem::rename(tmp, file);
}

}  // namespace rdpwarden::test
