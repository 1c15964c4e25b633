#pragma once
// The gateway under test as its own process (supervisor + real `rdpwarden worker` processes),
// with an in-memory access service described by a JSON scenario. Logs of the supervisor and
// every worker go to one file; session rows and denials to a JSON-lines records file.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

struct GatewayOptions {
  nlohmann::json scenario{};
  std::string security = "nla";
  std::string notice_text = "This session is recorded.";
  int notice_seconds = 0;
  int handshake_timeout_seconds = 20;
  int max_sessions = 100;
  std::string log_level = "info";
};

class GatewayProcess {
 public:
  explicit GatewayProcess(GatewayOptions options);
  ~GatewayProcess();

  std::uint16_t port() const { return port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& config_file() const { return config_; }
  std::string log() const;
  std::vector<nlohmann::json> records() const;
  // Records of one kind ("session_started", "session_ended", "denial", "fingerprint").
  std::vector<nlohmann::json> records(const std::string& event) const;
  // `rdpwarden session list --json` against this gateway.
  nlohmann::json sessions() const;
  // `rdpwarden session kill ID`; returns the exit code.
  int kill_session(const std::string& id) const;
  int stop() { return process_.stop(); }
  bool running() { return process_.running(); }

 private:
  TempDir dir_{"rdpw-e2e-gateway"};
  std::filesystem::path data_dir_;
  std::filesystem::path config_;
  std::filesystem::path log_file_;
  std::filesystem::path records_file_;
  Process process_;
  std::uint16_t port_ = 0;
};

// A scenario with one user, one target (the given port) with one account, and one grant.
nlohmann::json single_target_scenario(const std::string& user, const std::string& password,
                                      std::uint16_t target_port,
                                      const std::string& account_password);

}  // namespace rdpwarden::test
