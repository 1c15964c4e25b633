#pragma once
// One connection to the admin socket: one JSON request line, one JSON answer line. A `watch`
// request is then followed by the session's live view as a raw fragmented-MP4 byte stream (the
// init segment, then one fragment per frame) until the client closes the connection.
//
// Threads: the supervisor's io thread. Lives as long as an async operation holds it.

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>

#include "supervisor/admin_socket.hpp"
#include "supervisor/session_registry.hpp"

namespace rdpwarden::server::supervisor {

class AdminConnection : public std::enable_shared_from_this<AdminConnection> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;

  AdminConnection(Socket socket, SessionRegistry& registry, KillAudit audit);
  void start();

 private:
  void on_line(boost::system::error_code ec, std::size_t n);
  void start_watch(const std::string& id);
  void send(std::shared_ptr<const std::string> bytes);
  void write_next();
  void close();
  std::string peer_user();

  Socket socket_;
  boost::asio::steady_timer timer_;
  SessionRegistry& registry_;
  KillAudit audit_;
  boost::asio::streambuf input_;
  std::deque<std::shared_ptr<const std::string>> output_;
  std::size_t queued_bytes_ = 0;
  std::optional<std::pair<std::string, int>> watching_;  // session id, watch id
  char probe_ = 0;
  bool closed_ = false;
};

}  // namespace rdpwarden::server::supervisor
