#pragma once
// What the supervisor tells a worker about its session before the first RDP byte is read
// (the `init` control message). Nothing here comes from the network.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <rdpwarden/server/config.hpp>

#include "rdp/secret.hpp"

namespace rdpwarden::server::rdp {

// How the session is recorded (config [recording], mapped by the supervisor).
struct RecordingSettings {
  bool enabled = true;
  std::filesystem::path dir;  // the recordings directory; the session gets <dir>/<session-id>
  int max_fps = 10;
  int segment_seconds = 120;
  int flush_seconds = 3;
  bool keystrokes = true;
  int thumbnail_seconds = 10;
  bool fail_closed = true;  // a recording failure ends the session
  std::uint64_t min_free_bytes = 256ull << 20;
  int queue_frames = 8;
};

struct WorkerSettings {
  std::string session_id;
  std::string client_address;  // the admin's IP address as the supervisor accepted it
  std::uint16_t client_port = 0;
  RdpSecurity security = RdpSecurity::nla;
  std::chrono::milliseconds handshake_timeout{20000};
  std::chrono::milliseconds target_connect_timeout{20000};
  std::string notice_text;
  std::chrono::seconds notice_duration{6};
  bool watch_notice = true;  // tell the admin when an auditor starts watching
  std::chrono::seconds watch_notice_duration{5};
  std::chrono::minutes max_duration{0};  // 0: unlimited
  std::vector<int> warn_before_minutes{10, 1};
  LogLevel log_level = LogLevel::info;
  RecordingSettings recording;
  Secret certificate_pem;
  Secret private_key_pem;
};

}  // namespace rdpwarden::server::rdp
