#include "cluster/os_user.hpp"
#include <pwd.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage::cluster {
namespace {

bool lookup(uid_t uid, const char* name, OsUser& out) {
  std::vector<char> buffer(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  int rc = name ? getpwnam_r(name, &pw, buffer.data(), buffer.size(), &found)
                : getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found);
  if (rc != 0 || !found) return false;
  out.name = pw.pw_name;
  out.uid = pw.pw_uid;
  out.gid = pw.pw_gid;
  return true;
}

}  // namespace

OsUser cluster_user(const std::string& name_when_root) {
  OsUser user;
  if (::geteuid() != 0) {
    if (!lookup(::geteuid(), nullptr, user)) {
      user.name = fmt::format("uid {}", ::geteuid());
      user.uid = ::geteuid();
      user.gid = ::getegid();
    }
    return user;
  }
  if (!lookup(0, name_when_root.c_str(), user) || user.uid == 0)
    throw Unavailable(fmt::format(
        "the embedded PostgreSQL cannot run as root and the system user {} does not exist "
        "(create it: useradd --system --no-create-home --shell /usr/sbin/nologin {})",
        name_when_root, name_when_root));
  user.switch_to = true;
  return user;
}

}  // namespace rdpwarden::storage::cluster
