#include "supervisor/supervisor.hpp"
#include <array>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include "rdp/control_link.hpp"
#include "supervisor/recording_recovery.hpp"
#include "supervisor/worker_link.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::supervisor {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string new_session_id() {
  std::array<unsigned char, 16> b{};
  RAND_bytes(b.data(), static_cast<int>(b.size()));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return fmt::format(
      "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
      "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
      b[15]);
}

Supervisor::Supervisor(SupervisorOptions options, AccessService& access)
    : options_(std::move(options)),
      access_(access),
      acceptor_(io_),
      stop_signals_(io_),
      child_signal_(io_, SIGCHLD),
      shutdown_timer_(io_),
      launcher_(options_.worker_executable) {}

Supervisor::~Supervisor() = default;

void Supervisor::start() {
  const Config& config = *options_.config;
  tls_ = load_tls_material(config);
  std::filesystem::create_directories(config.recordings_dir());
  recover_previous_run();
  const auto& listen = config.rdp.listen;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(listen.host, ec);
  if (ec)
    throw std::runtime_error(fmt::format("rdp.listen: '{}' is not an IP address", listen.host));
  const tcp::endpoint endpoint(address, listen.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error(
        fmt::format("cannot listen on {}: {}", listen.to_string(), ec.message()));
  rdp_port_ = acceptor_.local_endpoint().port();
  admin_ = std::make_unique<AdminSocket>(
      io_, config.run_dir() / "admin.sock", registry_,
      [this](const std::string& id, const std::string& actor) { access_.record_kill(id, actor); });
  admin_->start();
  if (options_.handle_signals) {
    stop_signals_.add(SIGINT);
    stop_signals_.add(SIGTERM);
    stop_signals_.async_wait([this](boost::system::error_code ec2, int) {
      if (!ec2) shutdown_sessions();
    });
  }
  wait_for_sigchld();
  accept_next();
  log::info("listening for RDP on {}:{} ({}), certificate {}", listen.host, rdp_port_,
            config.rdp.security == RdpSecurity::nla ? "NLA" : "TLS", tls_.fingerprint);
}

void Supervisor::recover_previous_run() {
  // Sessions still 'live' belonged to a gateway that stopped without ending them (a crash, a
  // power cut): their recordings are made playable and the rows closed as interrupted.
  const auto live = access_.live_sessions();
  for (const auto& id : live)
    recover_and_close(access_, options_.config->recordings_dir(), id, std::nullopt, {});
  if (!live.empty()) log::warn("closed {} session(s) left live by a previous run", live.size());
}

void Supervisor::run() {
  io_.run();
}

void Supervisor::stop() {
  asio::post(io_, [this] { shutdown_sessions(); });
}

void Supervisor::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping_) return;
    if (!ec) on_accept(std::move(socket));
    accept_next();
  });
}

void Supervisor::on_accept(tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;
  auto address = remote.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  const std::string client = address.to_string();
  const auto max = static_cast<std::size_t>(options_.config->rdp.max_sessions);
  if (registry_.size() >= max) {
    log::warn("refused a connection from {}: {} sessions is the maximum (rdp.max_sessions)", client,
              max);
    return;  // the socket closes as it goes out of scope
  }
  try {
    start_worker(std::move(socket), client);
  } catch (const std::exception& e) {
    log::error("cannot start a session worker for {}: {}", client, e.what());
  }
}

void Supervisor::start_worker(tcp::socket socket, const std::string& client_address) {
  const Config& config = *options_.config;
  const std::string id = new_session_id();
  const auto client_port = socket.remote_endpoint().port();
  const auto worker = launcher_.launch(socket.native_handle(), id);
  socket.close();  // the worker has its own copy

  asio::local::stream_protocol::socket control(io_);
  control.assign(asio::local::stream_protocol(), worker.control_fd);
  AdmissionRules rules;
  rules.recordings_dir = config.recordings_dir();
  rules.min_free_bytes = static_cast<std::uint64_t>(config.recording.min_free_mb) << 20;
  rules.fail_closed = config.recording.on_failure == RecordingFailurePolicy::fail_closed;
  auto link = std::make_shared<WorkerLink>(std::move(control), registry_, access_, std::move(rules),
                                           id, client_address, worker.pid);
  LiveSession live;
  live.id = id;
  live.pid = worker.pid;
  live.client_address = client_address;
  live.accepted_at = std::chrono::system_clock::now();
  registry_.add(live, std::weak_ptr<SessionHandle>(link));
  workers_[worker.pid] = link;

  nlohmann::json init{
      {"session_id", id},
      {"client_address", client_address},
      {"client_port", client_port},
      {"security", config.rdp.security == RdpSecurity::nla ? "nla" : "tls"},
      {"handshake_timeout_ms", config.rdp.handshake_timeout_seconds * 1000},
      {"target_connect_timeout_ms", config.rdp.target_connect_timeout_seconds * 1000},
      {"notice_text", config.session.notice_text},
      {"notice_seconds", config.session.notice_seconds},
      {"watch_notice", config.session.watch_notice},
      {"watch_notice_seconds", config.session.watch_notice_seconds},
      {"log_level", config.log.level == LogLevel::debug     ? "debug"
                    : config.log.level == LogLevel::warning ? "warning"
                    : config.log.level == LogLevel::error   ? "error"
                                                            : "info"},
      {"recording",
       {{"enabled", true},
        {"dir", config.recordings_dir().string()},
        {"max_fps", config.recording.max_fps},
        {"segment_seconds", config.recording.segment_seconds},
        {"flush_seconds", config.recording.flush_seconds},
        {"keystrokes", config.recording.keystrokes},
        {"thumbnail_seconds", config.recording.thumbnail_seconds},
        {"fail_closed", config.recording.on_failure == RecordingFailurePolicy::fail_closed},
        {"min_free_bytes", static_cast<std::uint64_t>(config.recording.min_free_mb) << 20},
        {"queue_frames", config.recording.queue_frames}}},
      {"certificate_pem", tls_.certificate_pem},
      {"private_key_pem", std::string(tls_.private_key_pem.view())},
  };
  link->start(std::move(init));
  log::info("session {} from {} (worker {})", id, client_address, worker.pid);
}

void Supervisor::wait_for_sigchld() {
  child_signal_.async_wait([this](boost::system::error_code ec, int) {
    if (ec) return;
    reap_children();
    wait_for_sigchld();
  });
}

void Supervisor::reap_children() {
  // Only our workers: whoever else started children in this process reaps its own.
  for (auto it = workers_.begin(); it != workers_.end();) {
    int status = 0;
    if (::waitpid(it->first, &status, WNOHANG) == it->first) {
      it->second->on_exit(status);
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

void Supervisor::shutdown_sessions() {
  if (stopping_) return;
  stopping_ = true;
  log::info("stopping: ending {} session(s)", registry_.size());
  boost::system::error_code ignore;
  acceptor_.close(ignore);
  stop_signals_.cancel(ignore);
  registry_.kill_all(rdp::SessionEnd::gateway_shutdown, "the gateway is shutting down");
  wait_for_workers(50);
}

void Supervisor::wait_for_workers(int ticks_left) {
  if (registry_.size() == 0) {
    admin_.reset();
    io_.stop();
    return;
  }
  if (ticks_left == 0) {
    for (const auto& s : registry_.list())
      ::kill(s.pid, SIGKILL);
  }
  shutdown_timer_.expires_after(std::chrono::milliseconds(100));
  shutdown_timer_.async_wait([this, ticks_left](boost::system::error_code ec) {
    if (!ec) wait_for_workers(ticks_left > 0 ? ticks_left - 1 : 0);
  });
}

}  // namespace rdpwarden::server::supervisor
