#pragma once
// rdpwarden's own PostgreSQL cluster, for installs without `database.url`: initdb on first use
// under <data-dir>/pg, listening only on a Unix socket in a private directory, shared by every
// rdpwarden process on the machine (serve and any number of CLI runs) and stopped by the last
// one to leave.
//
// Coordination uses two flock(2) files in <dir>:
//   control.lock  exclusive while a process starts or stops the cluster
//   users.lock    shared by every process using the cluster, for as long as it does
// The kernel drops both when a process dies, so a kill -9 leaves nothing to clean: the next
// start finds the running postmaster and joins it, or, when postgres died too, removes its
// stale postmaster.pid and starts it again. A process leaving tries users.lock exclusively: it
// stops the cluster only when nobody else holds it.
//
// When running as root the cluster runs as `os_user` (PostgreSQL refuses root), which owns
// <dir>. The socket directory is <dir>/run (0700); when that path is too long for a Unix socket
// (107 bytes) it is /tmp/rdpwarden-pg-<hash of dir> instead, created 0700 and checked.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/types.h>

namespace rdpwarden::storage {

struct EmbeddedClusterOptions {
  std::filesystem::path dir;          // <data-dir>/pg
  std::string os_user = "rdpwarden";  // used only when running as root
  std::filesystem::path bin_dir;      // empty: PostgreSQL 15's server binaries
  std::chrono::seconds start_timeout{60};
  std::string database = "rdpwarden";
};

class EmbeddedCluster {
 public:
  // Initializes, starts or joins the cluster and makes sure the database exists. Throws
  // Unavailable with a one-line reason (and where the server log is).
  static std::unique_ptr<EmbeddedCluster> start(const EmbeddedClusterOptions& options);

  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;
  ~EmbeddedCluster();  // leave(), errors swallowed into stderr-free silence (see leave)

  // A libpq connection string for the cluster's database.
  std::string conninfo() const;
  const std::filesystem::path& socket_dir() const { return socket_dir_; }
  const std::filesystem::path& log_file() const;
  // Stops using the cluster; stops it too when no other process uses it. Returns true when this
  // call stopped it. Idempotent. Throws Unavailable when the stop itself failed.
  bool leave();

  struct State;

 private:
  explicit EmbeddedCluster(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
  std::filesystem::path socket_dir_;
};

}  // namespace rdpwarden::storage
