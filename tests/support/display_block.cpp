#include "support/display_block.hpp"
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <string>
#include <sys/file.h>
#include <unistd.h>

#include "support/fixture_error.hpp"

namespace rdpwarden::test {
namespace {

constexpr int kFirstBase = 200;
constexpr int kBlocks = 80;  // displays 200..999

}  // namespace

DisplayBlock::DisplayBlock() {
  const std::filesystem::path dir = "/tmp/rdpwarden-xdisplays";
  std::filesystem::create_directories(dir);
  // Start at a random block so that concurrent fixtures rarely contend for the same lock.
  std::random_device device;
  int start = static_cast<int>(device() % kBlocks);
  for (int i = 0; i < kBlocks; ++i) {
    int base = kFirstBase + ((start + i) % kBlocks) * kSize;
    auto file = dir / (std::to_string(base) + ".lock");
    int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      fd_ = fd;
      first_ = base;
      return;
    }
    close(fd);
  }
  throw FixtureError("no free block of X display numbers in 200..999");
}

DisplayBlock::~DisplayBlock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace rdpwarden::test
