#pragma once
// What postmaster.pid says about the cluster, checked against the process table: PostgreSQL
// trusts a pid file whose PID is alive, so after a crash and PID reuse a stale file could block
// the next start. A postmaster is ours only if its working directory is our data directory.

#include <filesystem>
#include <optional>
#include <sys/types.h>

namespace rdpwarden::storage::cluster {

// The PID of the postmaster running on `data_dir`, if there is one.
std::optional<pid_t> running_postmaster(const std::filesystem::path& data_dir);

// True while `pid` is a live postmaster on `data_dir` (a zombie, or a reused PID, is not).
bool is_postmaster(pid_t pid, const std::filesystem::path& data_dir);

// Removes a postmaster.pid (and the socket's lock file) left by a postmaster that is gone.
// Returns true when it removed something. Call only when running_postmaster() is nullopt.
bool remove_stale_pid_files(const std::filesystem::path& data_dir,
                            const std::filesystem::path& socket_dir);

}  // namespace rdpwarden::storage::cluster
