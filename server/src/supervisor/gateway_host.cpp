#include "supervisor/gateway_host.hpp"

#include "supervisor/live_sessions_service.hpp"
#include "supervisor/storage_access_service.hpp"
#include "supervisor/supervisor.hpp"
#include "util/log.hpp"
#include "web/storage_backend.hpp"
#include "web/web_server.hpp"

namespace rdpwarden::server::supervisor {
namespace {

// The console's workers each hold a connection while they work; the supervisor's io thread
// needs one at a time, plus one for recovery at start-up running next to it.
constexpr std::size_t kPoolSize = web::WebServer::kWorkerThreads + 2;

}  // namespace

GatewayHost::GatewayHost(std::shared_ptr<const Config> config) : config_(std::move(config)) {
  database_ = app::Database::open(*config_, kPoolSize);
  const auto& migration = database_->migration();
  if (!migration.applied.empty())
    log::info("database schema migrated from version {} to {}", migration.from_version,
              migration.to_version);
  access_ = std::make_unique<StorageAccessService>(database_->pool());
  supervisor_ = std::make_unique<Supervisor>(SupervisorOptions{config_}, *access_);
}

GatewayHost::~GatewayHost() {
  // The console first: its watch handles reach into the supervisor.
  if (console_) console_->stop();
  console_.reset();
  live_.reset();
}

void GatewayHost::start() {
  supervisor_->start();
  live_ = std::make_unique<LiveSessionsService>(supervisor_->io(), supervisor_->live_control());
  backend_ = std::make_unique<web::StorageBackend>(database_->pool());
  console_ = std::make_unique<web::WebServer>(config_, *backend_, live_.get());
  console_->start();
  log::info("auditor console on https://{}:{}/", config_->web.listen.host, console_->port());
}

void GatewayHost::run() {
  supervisor_->run();
  console_->stop();
}

std::uint16_t GatewayHost::rdp_port() const {
  return supervisor_->rdp_port();
}

std::uint16_t GatewayHost::web_port() const {
  return console_ ? console_->port() : 0;
}

const std::string& GatewayHost::rdp_fingerprint() const {
  return supervisor_->tls().fingerprint;
}

}  // namespace rdpwarden::server::supervisor
