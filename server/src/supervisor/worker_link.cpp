#include "supervisor/worker_link.hpp"
#include <signal.h>
#include <sys/wait.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "rdp/control_link.hpp"
#include "rdp/secret.hpp"
#include "supervisor/recording_recovery.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::supervisor {
namespace asio = boost::asio;

namespace {

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

bool is_denial(rdp::SessionEnd end) {
  return end == rdp::SessionEnd::authentication_failed || end == rdp::SessionEnd::access_denied ||
         end == rdp::SessionEnd::bad_username || end == rdp::SessionEnd::recording_failed;
}

}  // namespace

WorkerLink::WorkerLink(Socket socket, SessionRegistry& registry, AccessService& access,
                       AdmissionRules rules, std::string session_id, std::string client_address,
                       pid_t pid)
    : socket_(std::move(socket)),
      kill_timer_(socket_.get_executor()),
      registry_(registry),
      access_(access),
      recordings_dir_(rules.recordings_dir),
      admission_(access, std::move(rules), session_id, client_address, pid),
      session_id_(std::move(session_id)),
      client_address_(std::move(client_address)),
      pid_(pid) {}

void WorkerLink::start(nlohmann::json init) {
  init["type"] = rdp::kMsgInit;
  write(rdp::encode_frame(rdp::FrameKind::message, init.dump()));
  rdp::wipe_json(init);
  read_more();
}

void WorkerLink::read_more() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                            if (ec) {
                              self->link_closed();
                              return;
                            }
                            self->decoder_.feed({self->buffer_.data(), n});
                            rdp::wipe(self->buffer_.data(), n);
                            while (auto frame = self->decoder_.next()) {
                              if (frame->kind == rdp::FrameKind::media) {
                                self->on_media(frame->payload);
                                continue;
                              }
                              if (frame->kind != rdp::FrameKind::message) continue;
                              auto message = nlohmann::json::parse(frame->payload, nullptr, false);
                              rdp::wipe(frame->payload);
                              if (message.is_object()) self->on_message(std::move(message));
                            }
                            if (self->decoder_.broken()) {
                              log::warn("session {}: control channel broken: {}", self->session_id_,
                                        self->decoder_.error());
                              self->socket_.close();
                              self->link_closed();
                              return;
                            }
                            self->read_more();
                          });
}

void WorkerLink::on_message(nlohmann::json message) {
  const auto type = message.value("type", "");
  if (type == rdp::kMsgRequest) {
    nlohmann::json answer;
    try {
      answer = admission_.handle(message);
    } catch (const std::exception& e) {
      log::error("session {}: request failed: {}", session_id_, e.what());
      answer = {{"error", "internal error"}};
    }
    rdp::wipe_json(message);
    answer["type"] = rdp::kMsgResponse;
    answer["id"] = message.value<std::uint64_t>("id", 0);
    write(rdp::encode_frame(rdp::FrameKind::message, answer.dump()));
    rdp::wipe_json(answer);
  } else if (type == rdp::kMsgState) {
    on_state(message);
  } else if (type == rdp::kMsgEnded) {
    on_ended(message);
  } else if (type == rdp::kMsgRecordingSegment || type == rdp::kMsgRecordingEvents ||
             type == rdp::kMsgRecordingFailure) {
    on_recording(type, message);
  }
}

void WorkerLink::on_recording(const std::string& type, const nlohmann::json& message) {
  // Only an admitted session records; anything else from a worker is ignored.
  if (!admission_.authorized()) return;
  try {
    if (type == rdp::kMsgRecordingSegment) {
      RecordedSegment s;
      s.index = message.value("index", 0);
      s.file = message.value("file", "");
      s.init_file = message.value("init", "");
      s.start_ms = message.value<std::int64_t>("start_ms", 0);
      s.duration_ms = message.value<std::int64_t>("duration_ms", 0);
      s.bytes = message.value<std::int64_t>("bytes", 0);
      s.sha256 = message.value("sha256", "");
      s.chain = message.value("chain", "");
      access_.record_segment(session_id_, s);
    } else if (type == rdp::kMsgRecordingEvents) {
      std::vector<RecordedEvent> events;
      for (const auto& e : message.value("events", nlohmann::json::array())) {
        events.push_back({e.value<std::int64_t>("t", 0), e.value("kind", ""), e.value("line", "")});
      }
      if (!events.empty()) access_.record_events(session_id_, events);
    } else {
      log::error("session {}: recording failed ({}): {}", session_id_,
                 message.value("failure", "?"), message.value("message", ""));
    }
  } catch (const std::exception& e) {
    log::error("session {}: storing recording data failed: {}", session_id_, e.what());
  }
}

void WorkerLink::on_state(const nlohmann::json& message) {
  LiveSession* live = registry_.find(session_id_);
  if (!live) return;
  live->state = message.value("state", live->state);
  if (admission_.authorized() && !live->authorized) {
    live->authorized = true;
    live->user = admission_.record().user;
    live->target = admission_.record().target;
    live->account = admission_.record().account;
  }
}

void WorkerLink::on_ended(const nlohmann::json& message) {
  reported_end_ = rdp::session_end_from_string(message.value("reason", ""));
  if (!reported_end_) reported_end_ = rdp::SessionEnd::gateway_error;
  reported_detail_ = message.value("detail", "");
  recording_bytes_ = message.value<std::int64_t>("recording_bytes", 0);
  if (LiveSession* live = registry_.find(session_id_)) {
    live->state = "ending";
    live->end_reason = reported_end_;
  }
}

void WorkerLink::write(std::string frame) {
  writes_.push_back(std::move(frame));
  if (writes_.size() == 1) write_next();
}

void WorkerLink::write_next() {
  asio::async_write(socket_, asio::buffer(writes_.front()),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      rdp::wipe(self->writes_.front());
                      self->writes_.pop_front();
                      if (ec) {
                        self->writes_.clear();
                        return;
                      }
                      if (!self->writes_.empty()) self->write_next();
                    });
}

void WorkerLink::kill(rdp::SessionEnd reason, const std::string& message) {
  if (closed_) return;
  nlohmann::json command{
      {"type", rdp::kMsgKill}, {"reason", rdp::to_string(reason)}, {"message", message}};
  write(rdp::encode_frame(rdp::FrameKind::message, command.dump()));
  kill_timer_.expires_after(std::chrono::seconds(2));
  kill_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->exit_status_) return;
    log::warn("session {}: worker {} did not stop; killing it", self->session_id_, self->pid_);
    ::kill(self->pid_, SIGKILL);
  });
}

void WorkerLink::send_control(const nlohmann::json& command) {
  if (closed_) return;
  auto message = command;
  message["type"] = rdp::kMsgControl;
  write(rdp::encode_frame(rdp::FrameKind::message, message.dump()));
}

void WorkerLink::control(SessionControl action, const std::string& actor, const std::string& text,
                         int seconds) {
  static constexpr const char* kNames[] = {"suspend", "resume", "message"};
  send_control({{"action", kNames[static_cast<int>(action)]},
                {"actor", actor},
                {"text", text},
                {"seconds", seconds}});
}

int WorkerLink::watch(const std::string& actor, LiveCallback callback) {
  const int id = next_watch_id_++;
  watchers_[id] = std::move(callback);
  if (watchers_.size() == 1) {
    send_control({{"action", "watch"}, {"actor", actor}});
  } else {
    // The stream is already flowing: this watcher starts at the init and the next keyframe.
    if (last_init_) watchers_[id](*last_init_);
    send_control({{"action", "keyframe"}});
  }
  return id;
}

void WorkerLink::unwatch(int watch_id) {
  if (watchers_.erase(watch_id) && watchers_.empty()) send_control({{"action", "unwatch"}});
}

void WorkerLink::on_media(const std::string& payload) {
  // The worker is not trusted to be well-formed: a short or odd frame is dropped.
  if (payload.empty() || !admission_.authorized()) return;
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
  LiveChunk chunk;
  if (p[0] == rdp::kMediaInit && payload.size() >= 3) {
    const std::size_t json_length = (std::size_t{p[1]} << 8) | p[2];
    if (payload.size() < 3 + json_length) return;
    auto header = nlohmann::json::parse(payload.substr(3, json_length), nullptr, false);
    if (!header.is_object()) return;
    chunk.kind = LiveChunk::Kind::init;
    chunk.codec = header.value("codec", "");
    chunk.width = header.value("width", 0);
    chunk.height = header.value("height", 0);
    chunk.bytes = std::make_shared<const std::string>(payload.substr(3 + json_length));
    last_init_ = chunk;
  } else if (p[0] == rdp::kMediaFragment && payload.size() >= 10) {
    std::uint64_t pts = 0;
    for (int i = 1; i <= 8; ++i)
      pts = (pts << 8) | p[i];
    chunk.kind = LiveChunk::Kind::fragment;
    chunk.pts_ms = static_cast<std::int64_t>(pts);
    chunk.keyframe = p[9] != 0;
    chunk.bytes = std::make_shared<const std::string>(payload.substr(10));
  } else {
    return;
  }
  // A callback may unwatch (itself or others) while we iterate: walk a copy of the ids.
  std::vector<int> ids;
  for (const auto& [id, cb] : watchers_)
    ids.push_back(id);
  for (int id : ids) {
    auto it = watchers_.find(id);
    if (it == watchers_.end()) continue;
    try {
      it->second(chunk);
    } catch (const std::exception& e) {
      log::warn("session {}: a live viewer failed: {}", session_id_, e.what());
    }
  }
}

void WorkerLink::on_exit(int status) {
  exit_status_ = status;
  kill_timer_.cancel();
  finish_if_done();
}

void WorkerLink::link_closed() {
  closed_ = true;
  finish_if_done();
}

void WorkerLink::finish_if_done() {
  // The end is decided when both the channel is drained and the process is gone: a worker's
  // last message may still be in the socket when its exit is noticed.
  if (finished_ || !closed_ || !exit_status_) return;
  finished_ = true;
  const bool crashed = !reported_end_;
  const rdp::SessionEnd end = reported_end_.value_or(rdp::SessionEnd::worker_crashed);
  const std::string detail = crashed ? describe_status(*exit_status_) : reported_detail_;
  if (crashed)
    log::warn("session {}: worker {} died without reporting ({})", session_id_, pid_, detail);
  try {
    if (admission_.authorized() && crashed) {
      // The worker could not finish its recording: make what is on disk playable and listed.
      recover_and_close(access_, recordings_dir_, session_id_, end, detail);
    } else if (admission_.authorized()) {
      access_.session_ended(session_id_, end, detail, recording_bytes_);
    } else if (is_denial(end)) {
      access_.record_denial(admission_.typed_user(), client_address_, end, detail);
    }
  } catch (const std::exception& e) {
    log::error("session {}: recording the end failed: {}", session_id_, e.what());
  }
  log::info("session {} ended: {}{}", session_id_, rdp::to_string(end),
            detail.empty() ? "" : " (" + detail + ")");
  registry_.remove(session_id_);
}

}  // namespace rdpwarden::server::supervisor
