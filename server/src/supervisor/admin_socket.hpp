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

#include "supervisor/live_control.hpp"

namespace rdpwarden::server::supervisor {

// The answer to one request (no sockets). `actor` names who asked (the peer's OS user).
nlohmann::json handle_admin_request(const nlohmann::json& request, LiveControl& control,
                                    const std::string& actor);

class AdminSocket {
 public:
  // Binds (replacing a stale socket file). Throws std::runtime_error on failure.
  AdminSocket(boost::asio::io_context& io, std::filesystem::path path, LiveControl& control);
  ~AdminSocket();
  AdminSocket(const AdminSocket&) = delete;
  AdminSocket& operator=(const AdminSocket&) = delete;

  void start();
  const std::filesystem::path& path() const { return path_; }

 private:
  void accept_next();

  std::filesystem::path path_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  LiveControl& control_;
};

}  // namespace rdpwarden::server::supervisor
