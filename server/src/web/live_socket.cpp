#include "web/live_socket.hpp"
#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "util/log.hpp"
#include "web/web_app.hpp"

namespace rdpwarden::server::web {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;

constexpr std::string_view kWatchers = "rdpwarden_live_watchers";
constexpr std::string_view kDropped = "rdpwarden_live_dropped_fragments_total";

// Holds the socket weakly: the implementation may keep the watcher a little longer than the
// socket lives (until it sees the handle dropped), and must not keep the socket alive.
class Feed : public app::LiveWatcher {
 public:
  explicit Feed(std::weak_ptr<LiveSocket> socket) : socket_(std::move(socket)) {}
  void on_init(std::span<const std::byte> init, std::string_view codec, int width,
               int height) override {
    if (auto s = socket_.lock()) s->push_init(init, codec, width, height);
  }
  void on_fragment(std::span<const std::byte> fragment, std::int64_t pts_ms,
                   bool keyframe) override {
    if (auto s = socket_.lock()) s->push_fragment(fragment, pts_ms, keyframe);
  }
  void on_end(std::string_view reason) override {
    if (auto s = socket_.lock()) s->push_end(reason);
  }
  void on_state(const app::LiveState& state) override {
    if (auto s = socket_.lock()) s->push_state(state);
  }

 private:
  std::weak_ptr<LiveSocket> socket_;
};

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void append(std::string& out, std::span<const std::byte> data) {
  out.append(reinterpret_cast<const char*>(data.data()), data.size());
}

}  // namespace

LiveSocket::LiveSocket(TlsStream&& stream, std::shared_ptr<ServerShared> shared, LiveGrant grant)
    : ws_(std::move(stream)), shared_(std::move(shared)), grant_(std::move(grant)) {}

LiveSocket::~LiveSocket() {
  if (registered_) shared_->remove_live(this);
}

void LiveSocket::run(std::shared_ptr<const Request> upgrade) {
  registered_ = shared_->add_live(this, weak_from_this());
  upgrade_ = std::move(upgrade);
  beast::get_lowest_layer(ws_).expires_never();  // the WebSocket's own timeouts take over
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = shared_->io_timeout;
  timeouts.idle_timeout = std::chrono::seconds(30);
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "rdpwarden"); }));
  ws_.read_message_max(1024);
  ws_.auto_fragment(false);
  ws_.async_accept(*upgrade_,
                   beast::bind_front_handler(&LiveSocket::on_accept, shared_from_this()));
}

void LiveSocket::on_accept(beast::error_code ec) {
  upgrade_.reset();
  if (ec) return finish();
  shared_->app.count_response(101);
  read_loop();
  start_watch();
}

void LiveSocket::start_watch() {
  auto* live = shared_->app.live_sessions();
  auto feed = std::make_shared<Feed>(weak_from_this());
  // watch() may block briefly (it asks the session's worker for a keyframe): a worker runs it.
  net::post(shared_->workers, [self = shared_from_this(), live, feed] {
    std::unique_ptr<app::WatchHandle> handle;
    try {
      if (live)
        handle = live->watch(self->grant_.session_id, self->grant_.actor,
                             self->grant_.actor_address, feed);
    } catch (const std::exception& e) {
      log::error("web: live view of {}: {}", self->grant_.session_id, e.what());
    }
    net::post(self->ws_.get_executor(),
              [self, h = std::move(handle)]() mutable { self->on_watch(std::move(h)); });
  });
}

void LiveSocket::on_watch(std::unique_ptr<app::WatchHandle> handle) {
  if (finished_) {
    if (handle) net::post(shared_->workers, [h = std::move(handle)] {});
    return;
  }
  if (!handle) return push_end("the session is not live");
  handle_ = std::move(handle);
  shared_->app.metrics().gauge(kWatchers, "Live views open in the console").add(1);
}

void LiveSocket::read_loop() {
  ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->finish();
    self->read_buffer_.clear();  // the browser has nothing to say; Beast answers pings
    self->read_loop();
  });
}

void LiveSocket::push_init(std::span<const std::byte> init, std::string_view codec, int width,
                           int height) {
  Message m;
  m.bytes.reserve(init.size() + codec.size() + 8);
  m.bytes.push_back(1);
  put_be(m.bytes, static_cast<std::uint64_t>(std::clamp(width, 0, 65535)), 2);
  put_be(m.bytes, static_cast<std::uint64_t>(std::clamp(height, 0, 65535)), 2);
  auto name = codec.substr(0, 255);
  m.bytes.push_back(static_cast<char>(name.size()));
  m.bytes.append(name);
  append(m.bytes, init);
  enqueue(std::move(m));
}

void LiveSocket::push_fragment(std::span<const std::byte> fragment, std::int64_t pts_ms,
                               bool keyframe) {
  std::int64_t dropped = 0;
  bool take = true;
  {
    std::lock_guard lock(mutex_);
    if (ending_) return;
    if (queued_fragments_ >= kMaxQueuedFragments ||
        queued_bytes_ + fragment.size() > kMaxQueuedBytes) {
      // Behind: what is queued is stale; resume at a keyframe (this one, if it is one).
      dropped += static_cast<std::int64_t>(queued_fragments_);
      std::erase_if(queue_, [](const Message& m) { return m.fragment; });
      queued_fragments_ = 0;
      queued_bytes_ = 0;
      skip_to_keyframe_ = true;
    }
    if (skip_to_keyframe_ && keyframe) skip_to_keyframe_ = false;
    if (skip_to_keyframe_) {
      take = false;
      ++dropped;
    }
  }
  if (dropped > 0)
    shared_->app.metrics()
        .counter(kDropped, "Live-view fragments dropped for slow watchers")
        .inc(dropped);
  if (!take) return;
  Message m;
  m.fragment = true;
  m.bytes.reserve(fragment.size() + 10);
  m.bytes.push_back(2);
  m.bytes.push_back(keyframe ? 1 : 0);
  put_be(m.bytes, static_cast<std::uint64_t>(pts_ms), 8);
  append(m.bytes, fragment);
  enqueue(std::move(m));
}

void LiveSocket::push_end(std::string_view reason) {
  Message m;
  m.binary = false;
  m.bytes = nlohmann::json{{"type", "end"}, {"reason", reason}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  enqueue(std::move(m), true);
}

void LiveSocket::push_state(const app::LiveState& state) {
  Message m;
  m.binary = false;
  m.bytes = live_state_message(state);
  enqueue(std::move(m));
}

void LiveSocket::enqueue(Message message, bool last) {
  std::lock_guard lock(mutex_);
  if (ending_) return;
  ending_ = last;
  if (message.fragment) {
    ++queued_fragments_;
    queued_bytes_ += message.bytes.size();
  }
  queue_.push_back(std::move(message));
  if (write_pending_) return;
  write_pending_ = true;
  net::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
}

void LiveSocket::write_next() {
  Message m;
  {
    std::lock_guard lock(mutex_);
    if (finished_ || queue_.empty()) {
      write_pending_ = false;
      bool close = ending_ && !finished_;
      if (!close) return;
    } else {
      m = std::move(queue_.front());
      queue_.pop_front();
      if (m.fragment) {
        --queued_fragments_;
        queued_bytes_ -= m.bytes.size();
      }
    }
  }
  if (m.bytes.empty()) {  // drained after the end: close normally
    if (closing_) return;
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](beast::error_code) { self->finish(); });
    return;
  }
  writing_ = std::move(m.bytes);
  ws_.binary(m.binary);
  ws_.async_write(net::buffer(writing_),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    if (ec) return self->finish();
                    self->write_next();
                  });
}

void LiveSocket::shutdown() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->finished_ || self->closing_) return;
    if (!self->ws_.is_open()) return self->finish();
    self->closing_ = true;
    self->ws_.async_close(websocket::close_code::going_away,
                          [self](beast::error_code) { self->finish(); });
  });
}

void LiveSocket::finish() {
  if (finished_) return;
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
    queue_.clear();
    queued_fragments_ = 0;
    queued_bytes_ = 0;
  }
  if (handle_) {
    shared_->app.metrics().gauge(kWatchers, "Live views open in the console").add(-1);
    // Dropping the handle may talk to the session's worker: not on a socket thread.
    net::post(shared_->workers, [h = std::move(handle_)] {});
  }
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace rdpwarden::server::web
