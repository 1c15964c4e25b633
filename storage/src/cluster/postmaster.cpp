#include "cluster/postmaster.hpp"
#include <cerrno>
#include <csignal>
#include <fstream>
#include <string>

namespace rdpwarden::storage::cluster {
namespace {

std::optional<pid_t> pid_in(const std::filesystem::path& pid_file) {
  std::ifstream in(pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool alive(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

bool is_postmaster(pid_t pid, const std::filesystem::path& data_dir) {
  if (!alive(pid)) return false;
  // The postmaster chdir()s into its data directory; a reused PID almost surely did not, and a
  // zombie has no working directory any more.
  std::error_code ec;
  auto cwd = std::filesystem::path("/proc") / std::to_string(pid) / "cwd";
  return std::filesystem::equivalent(cwd, data_dir, ec) && !ec;
}

std::optional<pid_t> running_postmaster(const std::filesystem::path& data_dir) {
  auto pid = pid_in(data_dir / "postmaster.pid");
  if (!pid || !is_postmaster(*pid, data_dir)) return std::nullopt;
  return pid;
}

bool remove_stale_pid_files(const std::filesystem::path& data_dir,
                            const std::filesystem::path& socket_dir) {
  std::error_code ec;
  bool removed = std::filesystem::remove(data_dir / "postmaster.pid", ec);
  for (const auto& entry : std::filesystem::directory_iterator(socket_dir, ec)) {
    auto name = entry.path().filename().string();
    if (name.rfind(".s.PGSQL.", 0) == 0) removed |= std::filesystem::remove(entry.path(), ec);
  }
  return removed;
}

}  // namespace rdpwarden::storage::cluster
