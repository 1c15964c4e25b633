#include "gateway_process.hpp"
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rdpwarden/storage/key_ring.hpp>
#include <rdpwarden/storage/migrations.hpp>

#include "support/free_port.hpp"
#include "support/postgres.hpp"

namespace rdpwarden::test {
namespace {
using namespace std::chrono_literals;
}  // namespace

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

GatewayProcess::GatewayProcess(GatewayOptions options) : options_(std::move(options)) {
  data_dir_ = dir_ / "data";
  config_ = dir_ / "rdpwarden.toml";
  log_file_ = dir_ / "gateway.log";
  conninfo_ = PostgresServer::shared().create_database();
  auto keys =
      storage::KeyRing::open(data_dir_ / "keys/master.key", storage::KeyRing::IfMissing::create);
  db_ = std::make_unique<storage::Database>(storage::Database::connect(conninfo_, keys));
  storage::migrate(*db_);
}

GatewayProcess::~GatewayProcess() {
  process_.stop();
}

void GatewayProcess::add_simple_setup(const std::string& user, const std::string& password,
                                      std::uint16_t target_port, const std::string& account,
                                      const std::string& account_password) {
  db_->users().add(user, storage::Role::user, password);
  db_->targets().add({"srv01", "127.0.0.1", target_port, ""});
  db_->accounts().add({"srv01", account, ""}, account_password);
  storage::NewGrant grant;
  grant.key.user = user;
  grant.key.target = "srv01";
  db_->grants().add(grant);
}

void GatewayProcess::start() {
  // The config refuses port 0, so pick a free port and retry if someone takes it first.
  for (int attempt = 0; attempt < 3 && !port_; ++attempt) {
    const auto port = pick_free_tcp_port();
    std::ofstream(config_) << "data_dir = \"" << data_dir_.string() << "\"\n"
                           << "[log]\nlevel = \"" << options_.log_level << "\"\n"
                           << "[database]\nurl = \"" << conninfo_ << "\"\n"
                           << "[rdp]\nlisten = \"127.0.0.1:" << port << "\"\nsecurity = \""
                           << options_.security << "\"\nhandshake_timeout_seconds = "
                           << options_.handshake_timeout_seconds
                           << "\nmax_sessions = " << options_.max_sessions << "\n"
                           << "[session]\nnotice_text = \"" << options_.notice_text
                           << "\"\nnotice_seconds = " << options_.notice_seconds << "\n";
    const auto stdout_file = dir_ / "stdout.txt";
    std::filesystem::remove(stdout_file);
    process_ = Process(
        {"sh", "-c", "exec \"$0\" \"$@\" >" + stdout_file.string() + " 2>>" + log_file_.string(),
         GATEWAY_TEST_SERVER, config_.string(), rdpwarden_bin().string()},
        {});
    const bool up = wait_until(
        [&] {
          return file_text(stdout_file).find("listening on") != std::string::npos ||
                 !process_.running();
        },
        30s);
    if (up && process_.running()) port_ = port;
  }
  if (!port_) throw std::runtime_error("the gateway did not start: " + log());
}

std::string GatewayProcess::log() const {
  return file_text(log_file_);
}

nlohmann::json GatewayProcess::sessions() const {
  auto r =
      run({rdpwarden_bin().string(), "--config", config_.string(), "session", "list", "--json"});
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  return j.is_array() ? j : nlohmann::json::array();
}

RunResult GatewayProcess::cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{rdpwarden_bin().string(), "--config", config_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

nlohmann::json GatewayProcess::admin_request(const nlohmann::json& request) const {
  const auto path = (data_dir_ / "run" / "admin.sock").string();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) throw std::runtime_error("admin socket path too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot connect to " + path);
  }
  const std::string line = request.dump() + "\n";
  std::string answer;
  if (::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size())) {
    char buffer[4096];
    ssize_t n;
    while (answer.find('\n') == std::string::npos && (n = ::read(fd, buffer, sizeof(buffer))) > 0)
      answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return nlohmann::json::parse(answer, nullptr, false);
}

RunResult GatewayProcess::kill_session(const std::string& id) const {
  return run({rdpwarden_bin().string(), "--config", config_.string(), "session", "kill", id});
}

}  // namespace rdpwarden::test
