#pragma once
// The local administration socket (<data-dir>/run/admin.sock, mode 0600) behind
// `rdpwarden session list|kill`: one JSON request per line, one JSON answer per line.
//
//   {"cmd":"list"}                          -> {"ok":true,"sessions":[{...}, ...]}
//   {"cmd":"kill","id":"4b0c1d8e","message":"..."} -> {"ok":true} | {"ok":false,"error":"..."}
//   {"cmd":"suspend"|"resume","id":"..."}, {"cmd":"message","id":"...","text":"...","seconds":10}
//
// Threads: the supervisor's io thread.

#include <filesystem>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <nlohmann/json.hpp>

#include "supervisor/session_registry.hpp"

namespace rdpwarden::server::supervisor {

// Told about each kill an administrator asks for: the session id and who asked.
using KillAudit = std::function<void(const std::string& session_id, const std::string& actor)>;

// The answer to one request (pure: no sockets). `actor` names who asked (the peer's OS user).
nlohmann::json handle_admin_request(const nlohmann::json& request, SessionRegistry& registry,
                                    const std::string& actor, const KillAudit& audit);

class AdminSocket {
 public:
  // Binds (replacing a stale socket file). Throws std::runtime_error on failure.
  AdminSocket(boost::asio::io_context& io, std::filesystem::path path, SessionRegistry& registry,
              KillAudit audit);
  ~AdminSocket();
  AdminSocket(const AdminSocket&) = delete;
  AdminSocket& operator=(const AdminSocket&) = delete;

  void start();
  const std::filesystem::path& path() const { return path_; }

 private:
  void accept_next();

  std::filesystem::path path_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  SessionRegistry& registry_;
  KillAudit audit_;
};

}  // namespace rdpwarden::server::supervisor
