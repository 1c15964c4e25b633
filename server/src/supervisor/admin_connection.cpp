#include "supervisor/admin_connection.hpp"
#include <pwd.h>
#include <sys/socket.h>

#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "util/log.hpp"

namespace rdpwarden::server::supervisor {
namespace asio = boost::asio;

namespace {
// A viewer that cannot keep up is dropped rather than buffered without bound.
constexpr std::size_t kMaxQueuedBytes = 32u << 20;
}  // namespace

AdminConnection::AdminConnection(Socket socket, SessionRegistry& registry, KillAudit audit)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      registry_(registry),
      audit_(std::move(audit)),
      input_(65536) {}

void AdminConnection::start() {
  timer_.expires_after(std::chrono::seconds(10));
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->close();
  });
  asio::async_read_until(socket_, input_, '\n',
                         [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                           self->on_line(ec, n);
                         });
}

void AdminConnection::on_line(boost::system::error_code ec, std::size_t n) {
  nlohmann::json answer;
  std::string watch_id;
  if (ec) {
    answer = {{"ok", false}, {"error", "request too long or incomplete"}};
  } else {
    std::string line(asio::buffers_begin(input_.data()),
                     asio::buffers_begin(input_.data()) + static_cast<std::ptrdiff_t>(n));
    auto request = nlohmann::json::parse(line, nullptr, false);
    if (!request.is_object()) {
      answer = {{"ok", false}, {"error", "malformed request"}};
    } else if (request.value("cmd", "") == "watch") {
      LiveSession* session = registry_.find_prefix(request.value("id", ""));
      if (session && session->authorized) {
        answer = {{"ok", true}, {"id", session->id}};
        watch_id = session->id;
      } else {
        answer = {{"ok", false}, {"error", "no such active session"}};
      }
    } else {
      answer = handle_admin_request(request, registry_, peer_user(), audit_);
    }
  }
  send(std::make_shared<const std::string>(answer.dump() + "\n"));
  if (watch_id.empty()) return;  // write_next closes once the answer is out
  timer_.cancel();
  start_watch(watch_id);
}

void AdminConnection::start_watch(const std::string& id) {
  std::weak_ptr<AdminConnection> weak = shared_from_this();
  auto watch = registry_.watch(id, peer_user(), [weak](const LiveChunk& chunk) {
    if (auto self = weak.lock()) self->send(chunk.bytes);
  });
  if (!watch) {
    close();
    return;
  }
  watching_ = std::make_pair(id, *watch);
  log::info("session {} watched by {} through the admin socket", id, peer_user());
  // The viewer closing its end is how it stops watching.
  socket_.async_read_some(
      asio::buffer(&probe_, 1),
      [self = shared_from_this()](boost::system::error_code, std::size_t) { self->close(); });
}

void AdminConnection::send(std::shared_ptr<const std::string> bytes) {
  if (closed_ || !bytes) return;
  queued_bytes_ += bytes->size();
  if (queued_bytes_ > kMaxQueuedBytes) {
    log::warn("a live viewer fell behind; disconnecting it");
    close();
    return;
  }
  output_.push_back(std::move(bytes));
  if (output_.size() == 1) write_next();
}

void AdminConnection::write_next() {
  asio::async_write(socket_, asio::buffer(*output_.front()),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      if (self->output_.empty()) return;
                      self->queued_bytes_ -= self->output_.front()->size();
                      self->output_.pop_front();
                      if (ec) {
                        self->close();
                      } else if (!self->output_.empty()) {
                        self->write_next();
                      } else if (!self->watching_) {
                        self->close();  // a plain request: answered, done
                      }
                    });
}

void AdminConnection::close() {
  if (closed_) return;
  closed_ = true;
  if (watching_) registry_.unwatch(watching_->first, watching_->second);
  watching_.reset();
  output_.clear();
  timer_.cancel();
  boost::system::error_code ignore;
  socket_.close(ignore);
}

// The connecting process's OS user (SO_PEERCRED), for the audit log.
std::string AdminConnection::peer_user() {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    return "unknown";
  if (const passwd* pw = ::getpwuid(cred.uid)) return pw->pw_name;
  return "uid " + std::to_string(cred.uid);
}

}  // namespace rdpwarden::server::supervisor
