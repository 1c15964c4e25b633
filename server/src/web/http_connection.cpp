#include "web/http_connection.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "web/crypto_util.hpp"
#include "web/live_socket.hpp"
#include "web/responses.hpp"
#include "web/web_app.hpp"

namespace rdpwarden::server::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

bool is_http_parse_error(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_version).category();
}

}  // namespace

HttpConnection::HttpConnection(net::ip::tcp::socket&& socket, std::shared_ptr<ServerShared> shared)
    : stream_(std::move(socket), shared->tls),
      executor_(stream_.get_executor()),
      shared_(std::move(shared)) {
  beast::error_code ec;
  auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  remote_ = ec ? std::string("unknown") : endpoint.address().to_string();
}

HttpConnection::~HttpConnection() {
  if (registered_) shared_->remove(this);
}

bool HttpConnection::run() {
  if (!shared_->add(this, weak_from_this())) {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    return false;
  }
  registered_ = true;
  net::dispatch(executor_, [self = shared_from_this()] {
    beast::get_lowest_layer(self->stream_).expires_after(self->shared_->io_timeout);
    self->stream_.async_handshake(net::ssl::stream_base::server,
                                  beast::bind_front_handler(&HttpConnection::on_handshake, self));
  });
  return true;
}

void HttpConnection::shutdown() {
  net::post(executor_, [self = shared_from_this()] {
    if (self->state_ == State::upgraded) return;  // the stream belongs to a LiveSocket now
    self->stopping_ = true;
    if (self->state_ == State::reading || self->state_ == State::handshake)
      beast::get_lowest_layer(self->stream_).cancel();
  });
}

void HttpConnection::on_handshake(beast::error_code ec) {
  if (ec) {  // not TLS, a failed handshake, a timeout: nothing to say over this socket
    beast::get_lowest_layer(stream_).close();
    return;
  }
  read_request();
}

void HttpConnection::read_request() {
  if (stopping_) return close();
  state_ = State::reading;
  parser_.emplace();
  parser_->header_limit(shared_->max_header);
  parser_->body_limit(shared_->max_body);
  beast::get_lowest_layer(stream_).expires_after(shared_->io_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpConnection::on_read, shared_from_this()));
}

void HttpConnection::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::header_limit)
    return send(
        early_error(http::status::request_header_fields_too_large, "request header too large"),
        false);
  if (ec == http::error::body_limit)
    return send(early_error(http::status::payload_too_large, "request body too large"), false);
  if (ec && is_http_parse_error(ec) && ec != http::error::end_of_stream &&
      ec != http::error::partial_message)
    return send(early_error(http::status::bad_request, "malformed request"), false);
  if (ec == beast::error::timeout) return;  // the stream already closed the socket
  if (ec == http::error::end_of_stream || ec == net::error::operation_aborted) return close();
  if (ec) {
    beast::get_lowest_layer(stream_).close();
    return;
  }
  handle_request();
}

void HttpConnection::handle_request() {
  state_ = State::handling;
  auto req = std::make_shared<Request>(parser_->release());
  parser_.reset();
  bool head = req->method() == http::verb::head;
  if (beast::websocket::is_upgrade(*req)) return upgrade(std::move(req));
  // The handler may block (database, disk): it runs on the worker pool, never on this strand.
  // Its answer may come later from another thread (a seek fragment built on the seek pool).
  net::post(shared_->workers, [self = shared_from_this(), req, head] {
    self->shared_->app.handle_async(*req, self->remote_, [self, head](Response res) {
      net::post(self->executor_,
                [self, head, res = std::move(res)]() mutable { self->send(std::move(res), head); });
    });
    wipe(req->body());  // sign-in bodies hold a password
  });
}

// The live view: admission (cookie, origin, liveness) on a worker, then the stream moves to a
// LiveSocket on this strand; this connection object ends there.
void HttpConnection::upgrade(std::shared_ptr<Request> req) {
  net::post(shared_->workers, [self = shared_from_this(), req] {
    auto decision = self->shared_->app.admit_upgrade(*req, self->remote_);
    net::post(self->executor_, [self, req, decision = std::move(decision)]() mutable {
      if (auto* refused = std::get_if<Response>(&decision)) {
        refused->keep_alive(false);
        return self->send(std::move(*refused), false);
      }
      if (self->stopping_) return self->close();
      self->state_ = State::upgraded;
      auto socket = std::make_shared<LiveSocket>(std::move(self->stream_), self->shared_,
                                                 std::get<LiveGrant>(std::move(decision)));
      socket->run(std::move(req));
    });
  });
}

void HttpConnection::send(Response res, bool head_request) {
  if (stopping_) res.keep_alive(false);
  finalize_response(res, head_request, shared_->hsts);
  shared_->app.count_response(res.result_int());
  close_after_write_ = !res.keep_alive();
  response_ = std::make_unique<Response>(std::move(res));
  serializer_.emplace(*response_);
  state_ = State::writing;
  write_some();
}

void HttpConnection::write_some() {
  beast::get_lowest_layer(stream_).expires_after(shared_->io_timeout);
  http::async_write_some(stream_, *serializer_,
                         beast::bind_front_handler(&HttpConnection::on_write, shared_from_this()));
}

void HttpConnection::on_write(beast::error_code ec, std::size_t) {
  if (ec) {
    beast::get_lowest_layer(stream_).close();
    return;
  }
  if (!serializer_->is_done()) return write_some();
  serializer_.reset();
  response_.reset();
  if (close_after_write_ || stopping_) return close();
  read_request();
}

void HttpConnection::close() {
  state_ = State::closing;
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
  stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
    beast::get_lowest_layer(self->stream_).close();
  });
}

}  // namespace rdpwarden::server::web
