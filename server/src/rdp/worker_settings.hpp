#pragma once
// What the supervisor tells a worker about its session before the first RDP byte is read
// (the `init` control message). Nothing here comes from the network.

#include <chrono>
#include <cstdint>
#include <string>

#include <rdpwarden/server/config.hpp>

#include "rdp/secret.hpp"

namespace rdpwarden::server::rdp {

struct WorkerSettings {
  std::string session_id;
  std::string client_address;  // the admin's IP address as the supervisor accepted it
  std::uint16_t client_port = 0;
  RdpSecurity security = RdpSecurity::nla;
  std::chrono::milliseconds handshake_timeout{20000};
  std::chrono::milliseconds target_connect_timeout{20000};
  std::string notice_text;
  std::chrono::seconds notice_duration{6};
  LogLevel log_level = LogLevel::info;
  Secret certificate_pem;
  Secret private_key_pem;
};

}  // namespace rdpwarden::server::rdp
