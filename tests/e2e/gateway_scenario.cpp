#include "gateway_scenario.hpp"

namespace rdpwarden::test {

GatewayScenario::GatewayScenario(GatewayScenarioOptions options)
    : options_(std::move(options)), target_(options_.target), gateway_(options_.gateway) {
  // An NLA target only lets its own user in: that is the vaulted account then.
  const bool nla = options_.target.auth == ShadowAuth::kNla;
  gateway_.add_simple_setup(kUser, kPassword, target_.port(), nla ? target_.username() : kAccount,
                            nla ? target_.password() : kAccountPassword);
  if (options_.start_gateway) gateway_.start();
}

XfreerdpOptions GatewayScenario::client_options(const std::string& user,
                                                const std::string& password) const {
  return {.port = gateway_.port(),
          .username = user + "#srv01",
          .password = password,
          .width = options_.target.width,
          .height = options_.target.height};
}

XfreerdpClient& GatewayScenario::connect(const std::string& user, const std::string& password) {
  return connect(client_options(user, password));
}

XfreerdpClient& GatewayScenario::connect(XfreerdpOptions options) {
  clients_.push_back(std::make_unique<XfreerdpClient>(std::move(options)));
  clients_.back()->require_connected();
  return *clients_.back();
}

ScreenMatch GatewayScenario::same_screen(XfreerdpClient& client, double max_rmse,
                                         std::chrono::milliseconds timeout) {
  return wait_for_match([&] { return client.screenshot(); }, [&] { return target_.screenshot(); },
                        max_rmse, timeout);
}

std::optional<nlohmann::json> GatewayScenario::active_session(const std::string& user,
                                                              std::chrono::milliseconds timeout) {
  std::optional<nlohmann::json> found;
  wait_until(
      [&] {
        for (const auto& s : gateway_.sessions()) {
          if (s.value("user", "") == user && s.value("state", "") == "active") found = s;
        }
        return found.has_value();
      },
      timeout);
  return found;
}

bool GatewayScenario::wait_all_ended(std::chrono::milliseconds timeout) {
  return wait_until([&] { return gateway_.db().sessions().live().empty(); }, timeout);
}

}  // namespace rdpwarden::test
