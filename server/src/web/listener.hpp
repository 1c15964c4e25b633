#pragma once
// Accepts TCP connections on the console's endpoint and hands each to an HttpConnection on its
// own strand. Over the connection limit, a new socket is closed at once. Accept errors (e.g.
// out of file descriptors) pause accepting briefly instead of spinning.

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>

#include "web/server_shared.hpp"

namespace rdpwarden::server::web {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error on failure.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           std::shared_ptr<ServerShared> shared);
  void run();
  void stop();  // from any thread
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  std::shared_ptr<ServerShared> shared_;
  bool stopped_ = false;
};

}  // namespace rdpwarden::server::web
