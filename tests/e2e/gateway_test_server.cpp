// The gateway's supervisor with an in-memory access service, as a separate process for the
// end-to-end tests (until storage lands and `rdpwarden serve` runs on PostgreSQL):
//   gateway_test_server SCENARIO.json RECORDS.jsonl CONFIG.toml WORKER_BINARY
// Prints "listening on PORT" once ready; SIGTERM ends every session and exits.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "fake_access_service.hpp"
#include "supervisor/supervisor.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  using namespace rdpwarden;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SCENARIO RECORDS CONFIG WORKER\n", argv[0]);
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    const auto scenario = nlohmann::json::parse(in);
    test::FakeAccessService access(scenario, argv[2]);
    auto config = server::load_config(std::filesystem::path(argv[3]), std::nullopt);
    server::log::set_level(config->log.level);
    server::supervisor::Supervisor supervisor({config, argv[4], true}, access);
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
