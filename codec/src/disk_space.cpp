#include <sys/statvfs.h>
#include <unistd.h>

#include <fmt/format.h>

#include <rdpwarden/codec/disk_space.hpp>

namespace rdpwarden::codec {

SpaceCheck check_recording_space(const std::filesystem::path& dir, std::uint64_t min_free_bytes) {
  SpaceCheck check;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    check.message =
        fmt::format("recording directory {} cannot be created: {}", dir.string(), ec.message());
    return check;
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    check.message = fmt::format("recording directory {} is not writable: {}", dir.string(),
                                std::error_code(errno, std::generic_category()).message());
    return check;
  }
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) {
    check.message = fmt::format("cannot query free space of {}: {}", dir.string(),
                                std::error_code(errno, std::generic_category()).message());
    return check;
  }
  check.free_bytes = std::uint64_t{fs.f_bavail} * fs.f_frsize;
  if (fs.f_flag & ST_RDONLY) {
    check.message =
        fmt::format("recording directory {} is on a read-only file system", dir.string());
    return check;
  }
  if (check.free_bytes < min_free_bytes) {
    check.message = fmt::format("only {} MiB free for recordings in {} (minimum {} MiB)",
                                check.free_bytes >> 20, dir.string(), min_free_bytes >> 20);
    return check;
  }
  check.ok = true;
  return check;
}

}  // namespace rdpwarden::codec
