#include "support/temp_dir.hpp"
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>

namespace rdpwarden::test {

TempDir::TempDir(std::string_view prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
  // World-traversable so that helpers running as an unprivileged user (PostgreSQL) can reach
  // the directories the test hands them.
  std::filesystem::permissions(path_, std::filesystem::perms(0755));
}

TempDir::~TempDir() {
  const char* keep = std::getenv("RDPWARDEN_KEEP_TEMP");
  if (keep && *keep == '1') return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace rdpwarden::test
