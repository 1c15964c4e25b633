#pragma once
// The live view's WebSocket: one per watching browser tab, over the same TLS stream the
// HttpConnection had (it hands its stream over after WebApp::admit_upgrade granted the watch).
// It registers an app::LiveWatcher with LiveSessions and relays what arrives:
//   binary [1][u16 width][u16 height][u8 n][codec: n bytes][init segment]     (big-endian)
//   binary [2][u8 flags: 1 = keyframe][i64 pts_ms][moof + mdat]
//   text   {"type":"state","suspended":bool,"watchers":n}  on each change of the session's
//          control state (and once when the watch starts), whoever made it
//   text   {"type":"end","reason":"..."}  then a normal close
// Browser messages are ignored (pings and close are handled by Beast); at most 1 KiB each.
//
// Backpressure: the watcher callbacks never block; they queue. A tab that falls behind
// (more than kMaxQueuedFragments or kMaxQueuedBytes waiting) loses the queued fragments and
// skips everything up to the next keyframe, so it never decodes a broken picture and never
// holds the gateway's memory. Timeouts: Beast's WebSocket idle timeout with keep-alive pings.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "app/live_sessions.hpp"
#include "web/live_api.hpp"
#include "web/request_context.hpp"
#include "web/server_shared.hpp"

namespace rdpwarden::server::web {

class LiveSocket : public std::enable_shared_from_this<LiveSocket> {
 public:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  static constexpr std::size_t kMaxQueuedFragments = 60;
  static constexpr std::size_t kMaxQueuedBytes = 8u << 20;

  LiveSocket(TlsStream&& stream, std::shared_ptr<ServerShared> shared, LiveGrant grant);
  ~LiveSocket();
  LiveSocket(const LiveSocket&) = delete;
  LiveSocket& operator=(const LiveSocket&) = delete;

  // On the connection's strand: answers the handshake, then starts the watch.
  void run(std::shared_ptr<const Request> upgrade);
  // Any thread: closes with "going away" (server shutdown).
  void shutdown();

  // Any thread (the LiveSessions implementation's): queue and return.
  void push_init(std::span<const std::byte> init, std::string_view codec, int width, int height);
  void push_fragment(std::span<const std::byte> fragment, std::int64_t pts_ms, bool keyframe);
  void push_end(std::string_view reason);
  void push_state(const app::LiveState& state);

 private:
  struct Message {
    std::string bytes;
    bool binary = true;
    bool fragment = false;
  };

  void on_accept(boost::beast::error_code ec);
  void start_watch();
  void on_watch(std::unique_ptr<app::WatchHandle> handle);
  void read_loop();
  void enqueue(Message message, bool last = false);  // last: the end notice, then close
  void write_next();
  void finish();  // on the strand: drop the watch (on a worker), let the socket go

  boost::beast::websocket::stream<TlsStream> ws_;
  std::shared_ptr<ServerShared> shared_;
  LiveGrant grant_;
  std::shared_ptr<const Request> upgrade_;
  boost::beast::flat_buffer read_buffer_;
  std::unique_ptr<app::WatchHandle> handle_;  // strand only
  std::string writing_;                       // the message being written (strand only)
  bool closing_ = false;                      // strand only: a close is under way
  bool finished_ = false;                     // written on the strand under mutex_
  bool registered_ = false;

  std::mutex mutex_;  // guards what the implementation's thread touches
  std::deque<Message> queue_;
  std::size_t queued_fragments_ = 0;
  std::size_t queued_bytes_ = 0;
  bool write_pending_ = false;
  bool skip_to_keyframe_ = false;
  bool ending_ = false;  // on_end seen: close after the queue drains
};

}  // namespace rdpwarden::server::web
