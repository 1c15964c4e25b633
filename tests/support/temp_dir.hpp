#pragma once
// A directory under $TMPDIR that is removed with everything in it when the test ends.
// Set RDPWARDEN_KEEP_TEMP=1 to keep it for a post-mortem.

#include <filesystem>
#include <string_view>

namespace rdpwarden::test {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "rdpwarden-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view child) const { return path_ / child; }

 private:
  std::filesystem::path path_;
};

}  // namespace rdpwarden::test
