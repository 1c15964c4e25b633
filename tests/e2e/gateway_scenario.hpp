#pragma once
// The usual end-to-end setup in one object: a freerdp-shadow-cli target, `rdpwarden serve` with
// user ops1 (password Gw-pass-1) granted target srv01 (that target) through one vaulted account,
// and xfreerdp clients connected through the gateway.
//
//   GatewayScenario s;                              // target 1024x768, gateway started
//   auto& client = s.connect();                     // ops1#srv01, session window mapped
//   REQUIRE(s.same_screen(client).matched);         // the admin sees the target's screen
//   auto id = s.live_session_id();                  // the session's row id once it is active
//
// Targets that require NLA: .target.auth = ShadowAuth::kNla; the vaulted account is then the
// target's own user and password. start_gateway = false leaves room for more database setup
// (db()) before start().

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway_process.hpp"
#include "support/rdp_client.hpp"
#include "support/screen_match.hpp"
#include "support/shadow_target.hpp"

namespace rdpwarden::test {

struct GatewayScenarioOptions {
  ShadowTargetOptions target{.width = 1024, .height = 768};
  GatewayOptions gateway{};
  bool start_gateway = true;
};

class GatewayScenario {
 public:
  static constexpr const char* kUser = "ops1";
  static constexpr const char* kPassword = "Gw-pass-1";
  static constexpr const char* kAccount = "administrator";
  static constexpr const char* kAccountPassword = "Vault-Secret-9";

  explicit GatewayScenario(GatewayScenarioOptions options = {});

  ShadowTarget& target() { return target_; }
  GatewayProcess& gateway() { return gateway_; }
  storage::Database& db() { return gateway_.db(); }
  void start() { gateway_.start(); }

  // What xfreerdp needs to reach the target through the gateway as `user` (the target's size).
  XfreerdpOptions client_options(const std::string& user = kUser,
                                 const std::string& password = kPassword) const;
  // A client through the gateway, connected (its session window is mapped); owned here.
  XfreerdpClient& connect(const std::string& user = kUser, const std::string& password = kPassword);
  XfreerdpClient& connect(XfreerdpOptions options);

  // Waits until `client` shows what the target shows (RMSE <= max_rmse).
  ScreenMatch same_screen(XfreerdpClient& client, double max_rmse = 0.02,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // `session list` entry of `user`'s active session, once there is one (nullopt on timeout).
  std::optional<nlohmann::json> active_session(
      const std::string& user = kUser,
      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Waits until the database has no live session left.
  bool wait_all_ended(std::chrono::milliseconds timeout = std::chrono::seconds(15));

 private:
  GatewayScenarioOptions options_;
  ShadowTarget target_;
  GatewayProcess gateway_;
  std::vector<std::unique_ptr<XfreerdpClient>> clients_;
};

}  // namespace rdpwarden::test
