#include "supervisor/admin_socket.hpp"
#include <chrono>
#include <memory>
#include <pwd.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

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

// One request, one answer, then the connection closes; bounded in size and time.
class AdminConnection : public std::enable_shared_from_this<AdminConnection> {
 public:
  AdminConnection(Protocol::socket socket, SessionRegistry& registry, const KillAudit& audit)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        registry_(registry),
        audit_(audit),
        input_(65536) {}

  void start() {
    timer_.expires_after(std::chrono::seconds(10));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->socket_.close();
    });
    asio::async_read_until(socket_, input_, '\n',
                           [self = shared_from_this()](boost::system::error_code ec,
                                                       std::size_t n) { self->on_line(ec, n); });
  }

 private:
  void on_line(boost::system::error_code ec, std::size_t n) {
    nlohmann::json answer;
    if (ec) {
      answer = {{"ok", false}, {"error", "request too long or incomplete"}};
    } else {
      std::string line(asio::buffers_begin(input_.data()),
                       asio::buffers_begin(input_.data()) + static_cast<std::ptrdiff_t>(n));
      auto request = nlohmann::json::parse(line, nullptr, false);
      answer = request.is_object() ? handle_admin_request(request, registry_, peer_user(), audit_)
                                   : nlohmann::json{{"ok", false}, {"error", "malformed request"}};
    }
    reply_ = answer.dump() + "\n";
    asio::async_write(socket_, asio::buffer(reply_),
                      [self = shared_from_this()](boost::system::error_code, std::size_t) {
                        self->timer_.cancel();
                        self->socket_.close();
                      });
  }

  // The connecting process's OS user (SO_PEERCRED), for the audit log.
  std::string peer_user() {
    ucred cred{};
    socklen_t len = sizeof(cred);
    if (::getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
      return "unknown";
    if (const passwd* pw = ::getpwuid(cred.uid)) return pw->pw_name;
    return "uid " + std::to_string(cred.uid);
  }

  Protocol::socket socket_;
  asio::steady_timer timer_;
  SessionRegistry& registry_;
  KillAudit audit_;
  asio::streambuf input_;
  std::string reply_;
};

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
