// The gateway's supervisor on a PostgreSQL database, as its own process, for the end-to-end
// tests until `rdpwarden serve` can open the database itself (app::Database):
//   gateway_test_server CONFIG WORKER_BINARY
// The config's database.url and keys.master_key_file name the database and its master key.
// Prints "listening on PORT" once ready; SIGTERM ends every session and exits.
#include <cstdio>
#include <signal.h>
#include <sys/prctl.h>

#include <rdpwarden/storage/connection_pool.hpp>
#include <rdpwarden/storage/key_ring.hpp>

#include "supervisor/storage_access_service.hpp"
#include "supervisor/supervisor.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  using namespace rdpwarden;
  // A test that dies without its destructors (a crash, a timeout) must not leave us running.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CONFIG WORKER\n", argv[0]);
    return 2;
  }
  try {
    auto config = server::load_config(std::filesystem::path(argv[1]), std::nullopt);
    server::log::set_level(config->log.level);
    auto keys =
        storage::KeyRing::open(config->master_key_path(), storage::KeyRing::IfMissing::fail);
    storage::ConnectionPool pool(config->database.url, keys);
    server::supervisor::StorageAccessService access(pool);
    server::supervisor::Supervisor supervisor({config, argv[2], true}, access);
    supervisor.start();
    std::printf("listening on %u\n", supervisor.rdp_port());
    std::fflush(stdout);
    supervisor.run();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gateway_test_server: %s\n", e.what());
    return 1;
  }
}
