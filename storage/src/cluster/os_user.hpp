#pragma once
// Who the embedded PostgreSQL runs as: the configured system user when we are root (PostgreSQL
// refuses root), else ourselves.

#include <string>
#include <sys/types.h>

namespace rdpwarden::storage::cluster {

struct OsUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  bool switch_to = false;  // true when we are root and must drop to this user
};

// Throws Unavailable when running as root and `name_when_root` does not exist.
OsUser cluster_user(const std::string& name_when_root);

}  // namespace rdpwarden::storage::cluster
