#include "web/listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "util/log.hpp"
#include "web/http_connection.hpp"

namespace rdpwarden::server::web {

namespace net = boost::asio;
using net::ip::tcp;

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint,
                   std::shared_ptr<ServerShared> shared)
    : ioc_(ioc),
      strand_(net::make_strand(ioc)),
      acceptor_(strand_),
      retry_(strand_),
      shared_(std::move(shared)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() {
  net::dispatch(strand_, [self = shared_from_this()] { self->accept(); });
}

void Listener::stop() {
  net::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    boost::system::error_code ignored;
    self->retry_.cancel();
    self->acceptor_.close(ignored);
  });
}

void Listener::accept() {
  if (stopped_) return;
  acceptor_.async_accept(net::make_strand(ioc_), boost::beast::bind_front_handler(
                                                     &Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::beast::error_code ec, tcp::socket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec) {
    log::warn("web: accept failed: {}; pausing 100 ms", ec.message());
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](boost::beast::error_code wait_ec) {
      if (!wait_ec) self->accept();
    });
    return;
  }
  auto connection = std::make_shared<HttpConnection>(std::move(socket), shared_);
  connection->run();  // false: over the limit, already closed
  accept();
}

}  // namespace rdpwarden::server::web
