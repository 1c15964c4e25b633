#pragma once
// A local Linux account for targets that authenticate through PAM (xrdp, shadow +auth).
// Needs root (useradd, chpasswd); throws FixtureError otherwise.
//
// The password is random, created once per machine and kept root-only in
// /var/lib/rdpwarden-test/<name>.password: concurrent tests (other engineers run the same
// fixtures at the same time) must agree on one password, so it cannot change per test run.
// All changes happen under an flock on /var/lib/rdpwarden-test/<name>.lock.

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace rdpwarden::test {

struct LocalUser {
  std::string name;
  std::string password;
  uid_t uid = 0;
  gid_t gid = 0;
  std::filesystem::path home;
};

// Creates the account (useradd -m -s /bin/bash) when missing and (re)applies its password.
LocalUser ensure_local_user(const std::string& name = "rdpw-test");

// Writes `content` to `file` (mode `mode`, owned by `user`) unless it already has exactly that
// content; atomic (temp file + rename) so a concurrent reader never sees half a file.
void install_user_file(const LocalUser& user, const std::filesystem::path& file,
                       const std::string& content, std::filesystem::perms mode);

}  // namespace rdpwarden::test
