#include "gateway_process.hpp"
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "lab.hpp"

namespace rdpwarden::test {
namespace {
using namespace std::chrono_literals;
}

GatewayProcess::GatewayProcess(GatewayOptions options) {
  data_dir_ = dir_ / "data";
  config_ = dir_ / "rdpwarden.toml";
  log_file_ = dir_ / "gateway.log";
  records_file_ = dir_ / "records.jsonl";
  const auto scenario_file = dir_ / "scenario.json";
  std::ofstream(scenario_file) << options.scenario.dump(2);
  // The config refuses port 0, so pick a free port and retry if someone takes it first.
  for (int attempt = 0; attempt < 3 && !port_; ++attempt) {
    const auto port = free_tcp_port();
    std::ofstream(config_) << "data_dir = \"" << data_dir_.string() << "\"\n"
                           << "[log]\nlevel = \"" << options.log_level << "\"\n"
                           << "[rdp]\nlisten = \"127.0.0.1:" << port << "\"\nsecurity = \""
                           << options.security << "\"\nhandshake_timeout_seconds = "
                           << options.handshake_timeout_seconds
                           << "\nmax_sessions = " << options.max_sessions << "\n"
                           << "[session]\nnotice_text = \"" << options.notice_text
                           << "\"\nnotice_seconds = " << options.notice_seconds << "\n";
    const auto stdout_file = dir_ / "stdout.txt";
    std::filesystem::remove(stdout_file);
    process_ = Process(
        {"sh", "-c", "exec \"$0\" \"$@\" >" + stdout_file.string() + " 2>>" + log_file_.string(),
         GATEWAY_TEST_SERVER, scenario_file.string(), records_file_.string(), config_.string(),
         rdpwarden_bin().string()},
        {});
    const bool up = wait_until(
        [&] {
          return read_text(stdout_file).find("listening on") != std::string::npos ||
                 !process_.running();
        },
        30s);
    if (up && process_.running()) port_ = port;
  }
  if (!port_) throw std::runtime_error("the gateway did not start: " + log());
}

GatewayProcess::~GatewayProcess() {
  process_.stop();
}

std::string GatewayProcess::log() const {
  return read_text(log_file_);
}

std::vector<nlohmann::json> GatewayProcess::records() const {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_text(records_file_));
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) out.push_back(j);
  }
  return out;
}

std::vector<nlohmann::json> GatewayProcess::records(const std::string& event) const {
  std::vector<nlohmann::json> out;
  for (auto& r : records()) {
    if (r.value("event", "") == event) out.push_back(r);
  }
  return out;
}

nlohmann::json GatewayProcess::sessions() const {
  auto r =
      run({rdpwarden_bin().string(), "--config", config_.string(), "session", "list", "--json"});
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  return j.is_array() ? j : nlohmann::json::array();
}

int GatewayProcess::kill_session(const std::string& id) const {
  return run({rdpwarden_bin().string(), "--config", config_.string(), "session", "kill", id})
      .exit_code;
}

nlohmann::json single_target_scenario(const std::string& user, const std::string& password,
                                      std::uint16_t target_port,
                                      const std::string& account_password) {
  return {
      {"users", {{{"name", user}, {"password", password}}}},
      {"targets", {{{"name", "srv01"}, {"host", "127.0.0.1"}, {"port", target_port}}}},
      {"accounts",
       {{{"target", "srv01"}, {"login", "administrator"}, {"password", account_password}}}},
      {"grants", {{{"user", user}, {"target", "srv01"}}}},
  };
}

}  // namespace rdpwarden::test
