#pragma once
// What every connection of one WebServer shares: the app, the worker pool that runs handlers
// (handlers block; socket threads never do), the limits, and the set of open connections that
// graceful shutdown walks. Connections hold it by shared_ptr, so it outlives the last of them.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

namespace rdpwarden::server::web {

class WebApp;
class HttpConnection;
class LiveSocket;

struct ServerShared {
  ServerShared(WebApp& app_ref, boost::asio::thread_pool& pool, boost::asio::ssl::context& tls_ctx)
      : app(app_ref), workers(pool), tls(tls_ctx) {}

  WebApp& app;
  boost::asio::thread_pool& workers;
  boost::asio::ssl::context& tls;
  std::chrono::seconds io_timeout{30};
  std::uint64_t max_body = 1 << 20;
  std::uint32_t max_header = 16 * 1024;
  std::size_t max_connections = 512;
  bool hsts = false;

  // Registered by HttpConnection::run, removed by its destructor.
  bool add(HttpConnection* c, std::weak_ptr<HttpConnection> w) {
    std::lock_guard lock(mutex);
    if (connections.size() >= max_connections) return false;
    connections.emplace(c, std::move(w));
    return true;
  }
  void remove(HttpConnection* c) {
    std::lock_guard lock(mutex);
    connections.erase(c);
    changed.notify_all();
  }

  // Live views (connections upgraded to WebSocket), walked by shutdown like the others.
  bool add_live(LiveSocket* s, std::weak_ptr<LiveSocket> w) {
    std::lock_guard lock(mutex);
    live_sockets.emplace(s, std::move(w));
    return true;
  }
  void remove_live(LiveSocket* s) {
    std::lock_guard lock(mutex);
    live_sockets.erase(s);
    changed.notify_all();
  }
  bool idle() const { return connections.empty() && live_sockets.empty(); }

  std::mutex mutex;
  std::condition_variable changed;
  std::map<HttpConnection*, std::weak_ptr<HttpConnection>> connections;
  std::map<LiveSocket*, std::weak_ptr<LiveSocket>> live_sockets;
};

}  // namespace rdpwarden::server::web
