#pragma once
// The gateway under test as its own process (supervisor + real `rdpwarden worker` processes) on
// a fresh PostgreSQL database of the shared test cluster. The test sets users, targets, accounts
// and grants up through db(), and reads session rows and the audit log back from it. The logs of
// the supervisor and every worker go to one file.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <rdpwarden/storage/database.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {

struct GatewayOptions {
  std::string security = "nla";
  std::string notice_text = "This session is recorded.";
  int notice_seconds = 0;
  int handshake_timeout_seconds = 20;
  int max_sessions = 100;
  std::string log_level = "info";
};

class GatewayProcess {
 public:
  // Creates and migrates the database; start() runs the gateway.
  explicit GatewayProcess(GatewayOptions options = {});
  ~GatewayProcess();

  storage::Database& db() { return *db_; }
  // Adds user `user` (password), target srv01 (port), account `account` on it, and a grant.
  void add_simple_setup(const std::string& user, const std::string& password,
                        std::uint16_t target_port, const std::string& account,
                        const std::string& account_password);
  void start();

  std::uint16_t port() const { return port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& config_file() const { return config_; }
  std::string log() const;
  // `rdpwarden session list --json` against this gateway.
  nlohmann::json sessions() const;
  // `rdpwarden session kill ID`.
  RunResult kill_session(const std::string& id) const;
  // One request on the admin socket, as `rdpwarden session ...` sends it (without the cost of
  // starting that process, for timing); the answer line as JSON.
  nlohmann::json admin_request(const nlohmann::json& request) const;
  // `rdpwarden --config <ours> ARGS...`.
  RunResult cli(const std::vector<std::string>& args) const;
  int stop() { return process_.stop(); }
  bool running() { return process_.running(); }
  pid_t pid() const { return process_.pid(); }

 private:
  GatewayOptions options_;
  TempDir dir_{"rdpw-e2e-gateway"};
  std::filesystem::path data_dir_;
  std::filesystem::path config_;
  std::filesystem::path log_file_;
  std::string conninfo_;
  std::unique_ptr<storage::Database> db_;
  Process process_;
  std::uint16_t port_ = 0;
};

// A file's whole contents ("" when it does not exist).
std::string file_text(const std::filesystem::path& file);

}  // namespace rdpwarden::test
