#pragma once
// A deliberately low-level HTTPS client for the server tests: one TLS connection, raw bytes out,
// responses parsed with Beast, every operation bounded by a timeout. It can misbehave on purpose
// (trickle bytes, send huge headers, never read) to test how the server copes.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace rdpwarden::test {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool keep_alive = false;
  std::string header(const std::string& name) const;
};

class HttpsClient {
 public:
  explicit HttpsClient(std::uint16_t port, bool tls = true);
  ~HttpsClient();

  // Whole request; returns nullopt when the connection closed or the timeout passed first.
  std::optional<Reply> request(const std::string& method, const std::string& target,
                               const std::vector<std::pair<std::string, std::string>>& headers = {},
                               const std::string& body = {},
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // False when the peer closed (or the write failed).
  bool send_raw(const std::string& bytes,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // `head`: the reply to a HEAD request (headers only, whatever Content-Length says).
  std::optional<Reply> read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                  bool head = false);
  // Reads up to `max` bytes of whatever arrives (nullopt once the peer closed).
  std::optional<std::string> read_some(std::size_t max, std::chrono::milliseconds timeout);
  // Waits until the server closes the connection; false if it is still open at the deadline.
  bool wait_closed(std::chrono::milliseconds timeout);
  // The server certificate's DER bytes (TLS only).
  std::string peer_certificate_der();

 private:
  template <typename Op>
  boost::beast::error_code run(Op op, std::chrono::milliseconds timeout);

  boost::asio::io_context ioc_;
  boost::asio::ssl::context tls_ctx_{boost::asio::ssl::context::tls_client};
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
  std::optional<boost::beast::tcp_stream> plain_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace rdpwarden::test
