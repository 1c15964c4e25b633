#pragma once
// The gateway's configuration: one TOML file, every key with a default, validated once at
// start-up and then shared read-only (std::shared_ptr<const Config>).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rdpwarden::server {

// A listening or connecting address, "host:port" or "[v6]:port".
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const;
};
std::optional<Endpoint> parse_endpoint(std::string_view text);

enum class LogLevel { debug, info, warning, error };
enum class RdpSecurity { nla, tls };
enum class RecordingFailurePolicy { fail_closed, fail_open };

struct LogConfig {
  LogLevel level = LogLevel::info;
};

struct DatabaseConfig {
  std::string url;  // empty: the embedded cluster under <data-dir>/pg
};

struct KeysConfig {
  std::filesystem::path master_key_file;  // empty: <data-dir>/keys/master.key
};

struct TlsConfig {
  std::filesystem::path certificate;  // empty: self-signed under <data-dir>/tls/
  std::filesystem::path private_key;
};

struct RdpConfig {
  Endpoint listen{"127.0.0.1", 3389};
  RdpSecurity security = RdpSecurity::nla;
  int handshake_timeout_seconds = 20;
  int target_connect_timeout_seconds = 20;
  int max_sessions = 100;
};

struct WebConfig {
  Endpoint listen{"127.0.0.1", 8443};
  std::filesystem::path static_dir;  // empty: the installed or source-tree web-static/
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int max_body_bytes = 1 << 20;
  int io_timeout_seconds = 30;
  int login_max_failures = 5;
  int login_lockout_seconds = 300;
};

struct RecordingConfig {
  std::filesystem::path dir;  // empty: <data-dir>/recordings
  int max_fps = 10;
  // Seconds of activity (x max_fps decode-cost units) per segment; each starts with a keyframe.
  // 120: one keyframe per ~10 min of typing (keyframes of text are what makes recordings big);
  // the console's seek fragments make seeking independent of it (tests/bench/RESULTS.md).
  int segment_seconds = 120;
  int flush_seconds = 3;  // the open segment is made durable this often while active
  bool keystrokes = true;
  int thumbnail_seconds = 10;  // 0: no thumbnails
  RecordingFailurePolicy on_failure = RecordingFailurePolicy::fail_closed;
  int min_free_mb = 256;
  int queue_frames = 8;
};

struct SessionPolicyConfig {
  std::string notice_text = "This session is recorded and may be monitored.";
  int notice_seconds = 6;
  bool watch_notice = true;
  int watch_notice_seconds = 5;
  int max_duration_minutes = 0;  // 0: unlimited
  std::vector<int> warn_before_minutes{10, 1};
};

struct Config {
  std::filesystem::path source_file;  // empty when running on the embedded defaults
  std::filesystem::path data_dir;
  LogConfig log;
  DatabaseConfig database;
  KeysConfig keys;
  TlsConfig tls;
  RdpConfig rdp;
  WebConfig web;
  RecordingConfig recording;
  SessionPolicyConfig session;

  std::filesystem::path master_key_path() const;
  std::filesystem::path recordings_dir() const;
  // Decoded pictures the console keeps so that seeks start fast (derived; safe to delete).
  std::filesystem::path seek_cache_dir() const;
  std::filesystem::path pg_dir() const;
  std::filesystem::path tls_dir() const;
  std::filesystem::path run_dir() const;  // sockets and pid files
};

// A config problem: the message names the file, the key and what is wrong, in one line.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Loads `file` (nullopt: embedded defaults only). `data_dir_override` (from --data-dir) wins
// over the file's data_dir. Throws ConfigError.
std::shared_ptr<const Config> load_config(
    const std::optional<std::filesystem::path>& file,
    const std::optional<std::filesystem::path>& data_dir_override);

// Parses TOML text; `origin` names it in error messages. Throws ConfigError.
std::shared_ptr<const Config> parse_config(
    std::string_view toml_text, std::string_view origin,
    const std::optional<std::filesystem::path>& data_dir_override);

// The effective configuration as TOML, every key present (`rdpwarden config show`).
std::string render_config(const Config& config);

// Where the data lives when neither the file nor --data-dir says.
std::filesystem::path default_data_dir();

}  // namespace rdpwarden::server
