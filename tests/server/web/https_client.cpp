#include "server/web/https_client.hpp"
#include <algorithm>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace rdpwarden::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::string Reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpsClient::HttpsClient(std::uint16_t port, bool tls) {
  net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  if (tls) {
    tls_ctx_.set_verify_mode(net::ssl::verify_none);
    tls_.emplace(ioc_, tls_ctx_);
    beast::get_lowest_layer(*tls_).connect(endpoint);
    auto ec = run([&](auto done) { tls_->async_handshake(net::ssl::stream_base::client, done); },
                  std::chrono::seconds(10));
    if (ec) throw std::runtime_error("TLS handshake failed: " + ec.message());
  } else {
    plain_.emplace(ioc_);
    plain_->connect(endpoint);
  }
}

HttpsClient::~HttpsClient() = default;

template <typename Op>
beast::error_code HttpsClient::run(Op op, std::chrono::milliseconds timeout) {
  beast::error_code result = net::error::would_block;
  auto& lowest = tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
  lowest.expires_after(timeout);
  op([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc_.restart();
  ioc_.run();
  return result;
}

bool HttpsClient::send_raw(const std::string& bytes, std::chrono::milliseconds timeout) {
  auto ec = run(
      [&](auto done) {
        if (tls_)
          net::async_write(*tls_, net::buffer(bytes), done);
        else
          net::async_write(*plain_, net::buffer(bytes), done);
      },
      timeout);
  return !ec;
}

std::optional<Reply> HttpsClient::read_reply(std::chrono::milliseconds timeout, bool head) {
  http::response_parser<http::string_body> parser;
  parser.skip(head);
  parser.body_limit(512 << 20);
  auto ec = run(
      [&](auto done) {
        if (tls_)
          http::async_read(*tls_, buffer_, parser, done);
        else
          http::async_read(*plain_, buffer_, parser, done);
      },
      timeout);
  if (ec) return std::nullopt;
  auto msg = parser.release();
  Reply r;
  r.status = static_cast<int>(msg.result_int());
  for (const auto& f : msg) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    r.headers[name] = std::string(f.value());
  }
  r.body = msg.body();
  r.keep_alive = msg.keep_alive();
  return r;
}

std::optional<Reply> HttpsClient::request(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
    std::chrono::milliseconds timeout) {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [n, v] : headers)
    text += n + ": " + v + "\r\n";
  if (!body.empty() || method == "POST")
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n" + body;
  if (!send_raw(text, timeout)) return std::nullopt;
  return read_reply(timeout, method == "HEAD");
}

std::optional<std::string> HttpsClient::read_some(std::size_t max,
                                                  std::chrono::milliseconds timeout) {
  if (buffer_.size() > 0) {
    auto n = std::min(max, buffer_.size());
    std::string out(static_cast<const char*>(buffer_.data().data()), n);
    buffer_.consume(n);
    return out;
  }
  std::string out(max, '\0');
  std::size_t got = 0;
  beast::error_code result = net::error::would_block;
  auto& lowest = tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
  lowest.expires_after(timeout);
  auto handler = [&](beast::error_code ec, std::size_t n) {
    result = ec;
    got = n;
  };
  if (tls_)
    tls_->async_read_some(net::buffer(out), handler);
  else
    plain_->async_read_some(net::buffer(out), handler);
  ioc_.restart();
  ioc_.run();
  if (result) return std::nullopt;
  out.resize(got);
  return out;
}

bool HttpsClient::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    beast::error_code result = net::error::would_block;
    char byte[512];
    auto& lowest = tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
    lowest.expires_after(left);
    auto handler = [&](beast::error_code ec, std::size_t) { result = ec; };
    if (tls_)
      tls_->async_read_some(net::buffer(byte), handler);
    else
      plain_->async_read_some(net::buffer(byte), handler);
    ioc_.restart();
    ioc_.run();
    if (result == beast::error::timeout) return false;
    if (result) return true;  // eof, TLS close_notify, reset: closed
  }
  return false;
}

std::string HttpsClient::peer_certificate_der() {
  X509* cert = SSL_get1_peer_certificate(tls_->native_handle());
  if (!cert) return {};
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(std::max(len, 0)));
  OPENSSL_free(der);
  X509_free(cert);
  return out;
}

}  // namespace rdpwarden::test
