#pragma once
// Runs one PostgreSQL program (initdb, pg_ctl) to completion as the cluster's OS user, with a
// clean environment (no inherited PG* variables), reset signals and no inherited descriptors,
// capturing its output. Safe to call from a multi-threaded process: the child does only
// async-signal-safe work between fork and exec.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "cluster/os_user.hpp"

namespace rdpwarden::storage::cluster {

struct ProgramResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string output;  // stdout and stderr together
};

// Throws Unavailable when the program cannot be started (or `cwd` cannot be entered as `user`)
// or outlives `timeout`.
ProgramResult run_program(const OsUser& user, const std::vector<std::string>& argv,
                          const std::filesystem::path& cwd, std::chrono::seconds timeout);

}  // namespace rdpwarden::storage::cluster
