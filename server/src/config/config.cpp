#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <rdpwarden/server/config.hpp>

namespace rdpwarden::server {
namespace {

// Each key is declared once: how to read it from TOML (returning an error text on a bad value)
// and how to render its current value.
struct KeySpec {
  std::function<std::optional<std::string>(Config&, const toml::node&)> read;
  std::function<void(const Config&, toml::table&, std::string_view leaf)> write;
};

template <typename Get>
KeySpec int_key(Get get, std::int64_t min, std::int64_t max) {
  return {[=](Config& c, const toml::node& n) -> std::optional<std::string> {
            auto v = n.value<std::int64_t>();
            if (!n.is_integer() || !v) return "expected an integer";
            if (*v < min || *v > max) return fmt::format("must be between {} and {}", min, max);
            get(c) = static_cast<int>(*v);
            return std::nullopt;
          },
          [=](const Config& c, toml::table& t, std::string_view leaf) {
            t.insert_or_assign(leaf, static_cast<std::int64_t>(get(const_cast<Config&>(c))));
          }};
}

template <typename Get>
KeySpec bool_key(Get get) {
  return {[=](Config& c, const toml::node& n) -> std::optional<std::string> {
            if (!n.is_boolean()) return "expected true or false";
            get(c) = *n.value<bool>();
            return std::nullopt;
          },
          [=](const Config& c, toml::table& t, std::string_view leaf) {
            t.insert_or_assign(leaf, get(const_cast<Config&>(c)));
          }};
}

template <typename Get>
KeySpec string_key(Get get, std::size_t max_len, bool allow_empty) {
  return {[=](Config& c, const toml::node& n) -> std::optional<std::string> {
            if (!n.is_string()) return "expected a string";
            auto v = *n.value<std::string>();
            if (v.size() > max_len) return fmt::format("longer than {} characters", max_len);
            if (!allow_empty && v.empty()) return "must not be empty";
            get(c) = v;
            return std::nullopt;
          },
          [=](const Config& c, toml::table& t, std::string_view leaf) {
            t.insert_or_assign(leaf, std::string(get(const_cast<Config&>(c))));
          }};
}

template <typename Get>
KeySpec path_key(Get get) {
  return {[=](Config& c, const toml::node& n) -> std::optional<std::string> {
            if (!n.is_string()) return "expected a path string";
            auto v = *n.value<std::string>();
            if (v.find('\0') != std::string::npos) return "contains a NUL byte";
            get(c) = std::filesystem::path(v);
            return std::nullopt;
          },
          [=](const Config& c, toml::table& t, std::string_view leaf) {
            t.insert_or_assign(leaf, get(const_cast<Config&>(c)).string());
          }};
}

template <typename Get>
KeySpec endpoint_key(Get get) {
  return {[=](Config& c, const toml::node& n) -> std::optional<std::string> {
            if (!n.is_string()) return "expected \"host:port\"";
            auto e = parse_endpoint(*n.value<std::string>());
            if (!e)
              return fmt::format("expected \"host:port\", got \"{}\"", *n.value<std::string>());
            get(c) = *e;
            return std::nullopt;
          },
          [=](const Config& c, toml::table& t, std::string_view leaf) {
            t.insert_or_assign(leaf, get(const_cast<Config&>(c)).to_string());
          }};
}

template <typename E, typename Get>
KeySpec enum_key(Get get, std::vector<std::pair<std::string, E>> names) {
  return {[=](Config& c, const toml::node& n) -> std::optional<std::string> {
            std::string allowed;
            for (auto& [name, value] : names)
              allowed += (allowed.empty() ? "" : ", ") + name;
            if (!n.is_string()) return "expected one of " + allowed;
            auto v = *n.value<std::string>();
            for (auto& [name, value] : names) {
              if (name == v) {
                get(c) = value;
                return std::nullopt;
              }
            }
            return fmt::format("expected one of {}, got \"{}\"", allowed, v);
          },
          [=](const Config& c, toml::table& t, std::string_view leaf) {
            for (auto& [name, value] : names) {
              if (value == get(const_cast<Config&>(c))) t.insert_or_assign(leaf, name);
            }
          }};
}

KeySpec minutes_list_key() {
  return {[](Config& c, const toml::node& n) -> std::optional<std::string> {
            const auto* arr = n.as_array();
            if (!arr) return "expected an array of minutes, e.g. [10, 1]";
            std::vector<int> out;
            for (const auto& item : *arr) {
              auto v = item.value<std::int64_t>();
              if (!item.is_integer() || !v || *v < 1 || *v > 24 * 60)
                return "expected whole minutes between 1 and 1440";
              out.push_back(static_cast<int>(*v));
            }
            if (out.size() > 8) return "at most 8 warnings";
            c.session.warn_before_minutes = out;
            return std::nullopt;
          },
          [](const Config& c, toml::table& t, std::string_view leaf) {
            toml::array arr;
            for (int m : c.session.warn_before_minutes)
              arr.push_back(static_cast<std::int64_t>(m));
            t.insert_or_assign(leaf, arr);
          }};
}

const std::map<std::string, KeySpec>& schema() {
  static const std::map<std::string, KeySpec> keys = [] {
    std::map<std::string, KeySpec> k;
    constexpr int kYear = 366 * 24 * 60;
    k["data_dir"] = path_key([](Config & c) -> auto& { return c.data_dir; });
    k["log.level"] = enum_key<LogLevel>([](Config & c) -> auto& { return c.log.level; },
                                        {{"debug", LogLevel::debug},
                                         {"info", LogLevel::info},
                                         {"warning", LogLevel::warning},
                                         {"error", LogLevel::error}});
    k["database.url"] = string_key(
        [](Config & c) -> auto& { return c.database.url; }, 4096, true);
    k["keys.master_key_file"] =
        path_key([](Config & c) -> auto& { return c.keys.master_key_file; });
    k["tls.certificate"] = path_key([](Config & c) -> auto& { return c.tls.certificate; });
    k["tls.private_key"] = path_key([](Config & c) -> auto& { return c.tls.private_key; });

    k["rdp.listen"] = endpoint_key([](Config & c) -> auto& { return c.rdp.listen; });
    k["rdp.security"] =
        enum_key<RdpSecurity>([](Config & c) -> auto& { return c.rdp.security; },
                              {{"nla", RdpSecurity::nla}, {"tls", RdpSecurity::tls}});
    k["rdp.handshake_timeout_seconds"] = int_key(
        [](Config & c) -> auto& { return c.rdp.handshake_timeout_seconds; }, 1, 600);
    k["rdp.target_connect_timeout_seconds"] = int_key(
        [](Config & c) -> auto& { return c.rdp.target_connect_timeout_seconds; }, 1, 600);
    k["rdp.max_sessions"] = int_key(
        [](Config & c) -> auto& { return c.rdp.max_sessions; }, 1, 10000);

    k["web.listen"] = endpoint_key([](Config & c) -> auto& { return c.web.listen; });
    k["web.static_dir"] = path_key([](Config & c) -> auto& { return c.web.static_dir; });
    k["web.session_idle_minutes"] = int_key(
        [](Config & c) -> auto& { return c.web.session_idle_minutes; }, 1, 24 * 60);
    k["web.session_absolute_hours"] = int_key(
        [](Config & c) -> auto& { return c.web.session_absolute_hours; }, 1, 24 * 30);
    k["web.max_body_bytes"] = int_key(
        [](Config & c) -> auto& { return c.web.max_body_bytes; }, 1024, 64 << 20);
    k["web.io_timeout_seconds"] = int_key(
        [](Config & c) -> auto& { return c.web.io_timeout_seconds; }, 1, 3600);
    k["web.login_max_failures"] = int_key(
        [](Config & c) -> auto& { return c.web.login_max_failures; }, 1, 1000);
    k["web.login_lockout_seconds"] = int_key(
        [](Config & c) -> auto& { return c.web.login_lockout_seconds; }, 1, 86400);

    k["recording.dir"] = path_key([](Config & c) -> auto& { return c.recording.dir; });
    k["recording.max_fps"] = int_key(
        [](Config & c) -> auto& { return c.recording.max_fps; }, 1, 60);
    k["recording.segment_seconds"] = int_key(
        [](Config & c) -> auto& { return c.recording.segment_seconds; }, 2, 600);
    k["recording.flush_seconds"] = int_key(
        [](Config & c) -> auto& { return c.recording.flush_seconds; }, 1, 60);
    k["recording.keystrokes"] =
        bool_key([](Config & c) -> auto& { return c.recording.keystrokes; });
    k["recording.thumbnail_seconds"] = int_key(
        [](Config & c) -> auto& { return c.recording.thumbnail_seconds; }, 0, 3600);
    k["recording.on_failure"] =
        enum_key<RecordingFailurePolicy>([](Config & c) -> auto& { return c.recording.on_failure; },
                                         {{"fail-closed", RecordingFailurePolicy::fail_closed},
                                          {"fail-open", RecordingFailurePolicy::fail_open}});
    k["recording.min_free_mb"] = int_key(
        [](Config & c) -> auto& { return c.recording.min_free_mb; }, 0, 1 << 30);
    k["recording.queue_frames"] = int_key(
        [](Config & c) -> auto& { return c.recording.queue_frames; }, 1, 256);

    k["session.notice_text"] = string_key(
        [](Config & c) -> auto& { return c.session.notice_text; }, 500, true);
    k["session.notice_seconds"] = int_key(
        [](Config & c) -> auto& { return c.session.notice_seconds; }, 0, 600);
    k["session.watch_notice"] =
        bool_key([](Config & c) -> auto& { return c.session.watch_notice; });
    k["session.watch_notice_seconds"] = int_key(
        [](Config & c) -> auto& { return c.session.watch_notice_seconds; }, 1, 600);
    k["session.max_duration_minutes"] = int_key(
        [](Config & c) -> auto& { return c.session.max_duration_minutes; }, 0, kYear);
    k["session.warn_before_minutes"] = minutes_list_key();
    return k;
  }();
  return keys;
}

void apply_table(Config& config, const toml::table& table, const std::string& prefix,
                 std::string_view origin) {
  for (const auto& [key, node] : table) {
    std::string path =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const auto* sub = node.as_table()) {
      bool is_section = false;
      for (const auto& [name, spec] : schema()) {
        if (name.rfind(path + ".", 0) == 0) is_section = true;
      }
      if (!is_section) throw ConfigError(fmt::format("{}: unknown section [{}]", origin, path));
      apply_table(config, *sub, path, origin);
      continue;
    }
    auto it = schema().find(path);
    if (it == schema().end()) throw ConfigError(fmt::format("{}: unknown key {}", origin, path));
    if (auto problem = it->second.read(config, node)) {
      auto line = node.source().begin.line;
      throw ConfigError(line ? fmt::format("{}:{}: key {}: {}", origin, line, path, *problem)
                             : fmt::format("{}: key {}: {}", origin, path, *problem));
    }
  }
}

void check_consistency(const Config& c, std::string_view origin) {
  if (c.tls.certificate.empty() != c.tls.private_key.empty())
    throw ConfigError(fmt::format(
        "{}: key tls.certificate: tls.certificate and tls.private_key must be set together",
        origin));
  if (c.rdp.listen.port == 0) throw ConfigError(fmt::format("{}: key rdp.listen: port 0", origin));
  if (c.web.listen.port == 0) throw ConfigError(fmt::format("{}: key web.listen: port 0", origin));
}

}  // namespace

std::string Endpoint::to_string() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (host.empty() || host.size() > 253 || port.empty()) return std::nullopt;
  for (char ch : host) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == ':' || ch == '_';
    if (!ok) return std::nullopt;
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value > 65535) return std::nullopt;
  return Endpoint{std::string(host), static_cast<std::uint16_t>(value)};
}

std::filesystem::path default_data_dir() {
  if (::geteuid() == 0) return "/var/lib/rdpwarden";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "rdpwarden";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local/share/rdpwarden";
  return std::filesystem::current_path() / "rdpwarden-data";
}

std::filesystem::path Config::master_key_path() const {
  return keys.master_key_file.empty() ? data_dir / "keys/master.key" : keys.master_key_file;
}
std::filesystem::path Config::recordings_dir() const {
  return recording.dir.empty() ? data_dir / "recordings" : recording.dir;
}
std::filesystem::path Config::seek_cache_dir() const {
  return data_dir / "seek-cache";
}
std::filesystem::path Config::pg_dir() const {
  return data_dir / "pg";
}
std::filesystem::path Config::tls_dir() const {
  return data_dir / "tls";
}
std::filesystem::path Config::run_dir() const {
  return data_dir / "run";
}

std::shared_ptr<const Config> parse_config(
    std::string_view toml_text, std::string_view origin,
    const std::optional<std::filesystem::path>& data_dir_override) {
  auto config = std::make_shared<Config>();
  toml::table table;
  try {
    table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}: {}", origin, e.source().begin.line, e.description()));
  }
  apply_table(*config, table, "", origin);
  check_consistency(*config, origin);
  if (data_dir_override) config->data_dir = *data_dir_override;
  if (config->data_dir.empty()) config->data_dir = default_data_dir();
  config->data_dir = std::filesystem::absolute(config->data_dir).lexically_normal();
  return config;
}

std::shared_ptr<const Config> load_config(
    const std::optional<std::filesystem::path>& file,
    const std::optional<std::filesystem::path>& data_dir_override) {
  if (!file) return parse_config("", "(defaults)", data_dir_override);
  std::ifstream in(*file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot read the config file", file->string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > (1 << 20))
    throw ConfigError(fmt::format("{}: larger than 1 MiB", file->string()));
  auto parsed = parse_config(text.str(), file->string(), data_dir_override);
  auto config = std::make_shared<Config>(*parsed);
  config->source_file = std::filesystem::absolute(*file);
  return config;
}

std::string render_config(const Config& config) {
  toml::table root;
  for (const auto& [name, spec] : schema()) {
    auto dot = name.find('.');
    if (dot == std::string::npos) {
      spec.write(config, root, name);
      continue;
    }
    auto section = name.substr(0, dot);
    if (!root.contains(section)) root.insert(section, toml::table{});
    spec.write(config, *root[section].as_table(), name.substr(dot + 1));
  }
  std::ostringstream out;
  out << root << '\n';
  return out.str();
}

}  // namespace rdpwarden::server
