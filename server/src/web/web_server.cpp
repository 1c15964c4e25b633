#include "web/web_server.hpp"
#include <optional>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

#include "app/tls_identity.hpp"
#include "util/log.hpp"
#include "web/http_connection.hpp"
#include "web/listener.hpp"
#include "web/live_socket.hpp"
#include "web/web_app.hpp"

namespace rdpwarden::server::web {

namespace net = boost::asio;
using net::ip::tcp;

// Member order matters: the io_context is destroyed before what its queued handlers reference.
struct WebServer::Impl {
  Impl(std::shared_ptr<const Config> cfg, Backend& backend, app::LiveSessions* live,
       util::MetricsRegistry& metrics)
      : config(cfg), app(std::move(cfg), backend, metrics, live) {}

  std::shared_ptr<const Config> config;
  WebApp app;
  net::ssl::context tls{net::ssl::context::tls_server};
  net::thread_pool workers{kWorkerThreads};
  net::io_context ioc{kIoThreads};
  std::shared_ptr<ServerShared> shared;
  std::shared_ptr<Listener> listener;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

namespace {

void configure_tls(net::ssl::context& tls, const app::TlsIdentity& id) {
  tls.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                  net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                  net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(tls.native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL");
  try {
    tls.use_certificate_chain_file(id.certificate.string());
    tls.use_private_key_file(id.private_key.string(), net::ssl::context::pem);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(
        fmt::format("web: cannot use TLS certificate {}: {}", id.certificate.string(), e.what()));
  }
}

tcp::endpoint resolve(net::io_context& ioc, const Endpoint& listen) {
  boost::system::error_code ec;
  auto address = net::ip::make_address(listen.host, ec);
  if (!ec) return {address, listen.port};
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(listen.host, std::to_string(listen.port), ec);
  if (ec || results.empty())
    throw std::runtime_error(
        fmt::format("web.listen {}: cannot resolve: {}", listen.to_string(), ec.message()));
  return results.begin()->endpoint();
}

}  // namespace

WebServer::WebServer(std::shared_ptr<const Config> config, Backend& backend,
                     app::LiveSessions* live, util::MetricsRegistry& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), backend, live, metrics)) {}

WebServer::~WebServer() {
  stop(std::chrono::seconds(1));
}

WebApp& WebServer::app() {
  return impl_->app;
}

std::uint16_t WebServer::port() const {
  return impl_->port;
}

void WebServer::start() {
  auto& m = *impl_;
  if (m.started) throw std::logic_error("WebServer::start called twice");
  auto identity = app::ensure_tls_identity(*m.config);
  configure_tls(m.tls, identity);
  m.shared = std::make_shared<ServerShared>(m.app, m.workers, m.tls);
  m.shared->io_timeout = std::chrono::seconds(m.config->web.io_timeout_seconds);
  m.shared->max_body = static_cast<std::uint64_t>(m.config->web.max_body_bytes);
  m.shared->hsts = !identity.self_signed;
  auto endpoint = resolve(m.ioc, m.config->web.listen);
  try {
    m.listener = std::make_shared<Listener>(m.ioc, endpoint, m.shared);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(
        fmt::format("web.listen {}: {}", m.config->web.listen.to_string(), e.code().message()));
  }
  m.port = m.listener->local_endpoint().port();
  m.listener->run();
  m.work.emplace(m.ioc.get_executor());
  for (int i = 0; i < kIoThreads; ++i)
    m.threads.emplace_back([&m] { m.ioc.run(); });
  m.started = true;
  log::info("web: console listening on https://{}:{}/{}", m.config->web.listen.host, m.port,
            identity.self_signed ? " (self-signed certificate)" : "");
}

void WebServer::stop(std::chrono::milliseconds grace) {
  auto& m = *impl_;
  if (!m.started || m.stopped) return;
  m.stopped = true;
  m.listener->stop();
  std::vector<std::shared_ptr<HttpConnection>> open;
  std::vector<std::shared_ptr<LiveSocket>> views;
  {
    std::lock_guard lock(m.shared->mutex);
    for (auto& [ptr, weak] : m.shared->connections) {
      if (auto c = weak.lock()) open.push_back(std::move(c));
    }
    for (auto& [ptr, weak] : m.shared->live_sockets) {
      if (auto v = weak.lock()) views.push_back(std::move(v));
    }
  }
  for (auto& c : open)
    c->shutdown();
  for (auto& v : views)
    v->shutdown();
  open.clear();
  views.clear();
  {
    std::unique_lock lock(m.shared->mutex);
    m.shared->changed.wait_for(lock, grace, [&] { return m.shared->idle(); });
  }
  m.work.reset();
  m.ioc.stop();
  for (auto& t : m.threads)
    t.join();
  m.threads.clear();
  m.workers.join();
  m.app.stop_background();  // seek builds post to the io_context: done before it goes
  log::info("web: console stopped");
}

}  // namespace rdpwarden::server::web
