#include "supervisor/admin_socket.hpp"
#include <chrono>
#include <memory>
#include <pwd.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "supervisor/admin_connection.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::supervisor {
namespace asio = boost::asio;
using Protocol = asio::local::stream_protocol;

namespace {

std::string iso8601(std::chrono::system_clock::time_point t) {
  const auto secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace

nlohmann::json handle_admin_request(const nlohmann::json& request, SessionRegistry& registry,
                                    const std::string& actor, const KillAudit& audit) {
  const auto cmd = request.value("cmd", "");
  if (cmd == "list") {
    nlohmann::json sessions = nlohmann::json::array();
    for (const auto& s : registry.list()) {
      sessions.push_back({{"id", s.id},
                          {"pid", s.pid},
                          {"state", s.state},
                          {"user", s.user},
                          {"target", s.target},
                          {"account", s.account},
                          {"client", s.client_address},
                          {"suspended", s.suspended},
                          {"watchers", s.watchers},
                          {"started", iso8601(s.accepted_at)}});
    }
    return {{"ok", true}, {"sessions", sessions}};
  }
  if (cmd == "kill") {
    const auto id = request.value("id", "");
    LiveSession* session = registry.find_prefix(id);
    if (id.empty() || !session) return {{"ok", false}, {"error", "no such session: " + id}};
    const auto full_id = session->id;
    const auto message = request.value("message", "terminated by an administrator");
    registry.kill(full_id, rdp::SessionEnd::killed, message);
    log::info("session {} killed by {}", full_id, actor);
    if (audit) {
      try {
        audit(full_id, actor);
      } catch (const std::exception& e) {
        log::error("cannot audit the kill of session {}: {}", full_id, e.what());
      }
    }
    return {{"ok", true}, {"id", full_id}};
  }
  if (cmd == "suspend" || cmd == "resume" || cmd == "message") {
    LiveSession* session = registry.find_prefix(request.value("id", ""));
    if (!session) return {{"ok", false}, {"error", "no such session"}};
    const auto action = cmd == "suspend"  ? SessionControl::suspend
                        : cmd == "resume" ? SessionControl::resume
                                          : SessionControl::message;
    const auto text = request.value("text", "");
    if (action == SessionControl::message && text.empty())
      return {{"ok", false}, {"error", "a message needs text"}};
    if (!registry.control(session->id, action, actor, text, request.value("seconds", 10)))
      return {{"ok", false}, {"error", "the session is not active yet"}};
    return {{"ok", true}, {"id", session->id}};
  }
  return {{"ok", false}, {"error", "unknown command"}};
}

AdminSocket::AdminSocket(asio::io_context& io, std::filesystem::path path,
                         SessionRegistry& registry, KillAudit audit)
    : path_(std::move(path)), acceptor_(io), registry_(registry), audit_(std::move(audit)) {
  std::filesystem::create_directories(path_.parent_path());
  std::filesystem::permissions(path_.parent_path(), std::filesystem::perms::owner_all);
  std::error_code ignore;
  std::filesystem::remove(path_, ignore);
  // The socket is created 0600 (umask) and only the gateway's own account may use it.
  const mode_t old = ::umask(0077);
  boost::system::error_code ec;
  acceptor_.open(Protocol(), ec);
  if (!ec) acceptor_.bind(Protocol::endpoint(path_.string()), ec);
  if (!ec) acceptor_.listen(16, ec);
  ::umask(old);
  if (ec)
    throw std::runtime_error(fmt::format("cannot listen on {}: {}", path_.string(), ec.message()));
}

AdminSocket::~AdminSocket() {
  std::error_code ignore;
  std::filesystem::remove(path_, ignore);
}

void AdminSocket::start() {
  accept_next();
}

void AdminSocket::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code ec, Protocol::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<AdminConnection>(std::move(socket), registry_, audit_)->start();
    accept_next();
  });
}

}  // namespace rdpwarden::server::supervisor
