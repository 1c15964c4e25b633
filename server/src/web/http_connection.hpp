#pragma once
// One HTTPS connection: TLS handshake, then requests one at a time (HTTP/1.1 keep-alive). A
// connection lives as long as an async operation holds shared_from_this(); all its work runs on
// its strand except the handler, which runs on the worker pool and posts the response back.
//
// Limits: a deadline (web.io_timeout_seconds) on the handshake, on each whole request (a
// slowloris client cannot hold a connection by trickling bytes) and on each write of a response
// chunk (a stalled reader is dropped, a slow but moving one is not); header and body sizes are
// capped; bad requests get a clean status and the connection closes.

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "web/request_context.hpp"
#include "web/response_body.hpp"
#include "web/server_shared.hpp"

namespace rdpwarden::server::web {

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerShared> shared);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Starts the handshake; returns false (and closes) when the server is at its connection limit.
  bool run();
  // Graceful stop from any thread: an idle connection closes now, a busy one after its response.
  void shutdown();

 private:
  enum class State { handshake, reading, handling, writing, closing, upgraded };

  void on_handshake(boost::beast::error_code ec);
  void read_request();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle_request();
  void upgrade(std::shared_ptr<Request> req);
  void send(Response res, bool head_request);
  void write_some();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void close();

  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::tcp_stream::executor_type executor_;  // the strand (outlives a moved stream_)
  std::shared_ptr<ServerShared> shared_;
  std::string remote_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::unique_ptr<Response> response_;
  std::optional<boost::beast::http::serializer<false, ResponseBody>> serializer_;
  State state_ = State::handshake;
  bool stopping_ = false;
  bool close_after_write_ = false;
  bool registered_ = false;
};

}  // namespace rdpwarden::server::web
