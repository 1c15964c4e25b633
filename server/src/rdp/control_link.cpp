#include "rdp/control_link.hpp"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdexcept>
#include <unistd.h>

#include <fmt/format.h>

#include "rdp/nt_hash.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

using namespace std::chrono_literals;
constexpr auto kRequestTimeout = 10s;

std::string hex(const std::uint8_t* data, std::size_t size) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i)
    out += fmt::format("{:02x}", data[i]);
  return out;
}

std::optional<NtlmKey> parse_key(const std::string& text) {
  if (text.size() != 32) return std::nullopt;
  NtlmKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    unsigned value = 0;
    if (std::sscanf(text.c_str() + 2 * i, "%2x", &value) != 1) return std::nullopt;
    key[i] = static_cast<std::uint8_t>(value);
  }
  return key;
}

LogLevel parse_level(const std::string& text) {
  if (text == "debug") return LogLevel::debug;
  if (text == "warning") return LogLevel::warning;
  if (text == "error") return LogLevel::error;
  return LogLevel::info;
}

}  // namespace

void wipe_json(nlohmann::json& value) {
  if (value.is_string()) {
    wipe(value.get_ref<std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value)
      wipe_json(item);
  }
}

ControlLink::ControlLink(int fd) : fd_(fd) {
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}

ControlLink::~ControlLink() {
  stop();
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  ::close(fd_);
}

bool ControlLink::read_frame(Frame& frame, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto next = decoder_.next()) {
      frame = std::move(*next);
      return true;
    }
    if (decoder_.broken()) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    const int n = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) return false;
    if (fds[1].revents) return false;
    if (n <= 0 || !fds[0].revents) continue;
    char buffer[16384];
    const ssize_t got = ::read(fd_, buffer, sizeof(buffer));
    if (got <= 0) return false;
    decoder_.feed({buffer, static_cast<std::size_t>(got)});
    wipe(buffer, static_cast<std::size_t>(got));
  }
}

WorkerSettings ControlLink::receive_init(std::chrono::milliseconds timeout) {
  Frame frame;
  if (!read_frame(frame, timeout)) throw std::runtime_error("no init message from the supervisor");
  auto message = nlohmann::json::parse(frame.payload, nullptr, false);
  wipe(frame.payload);
  if (!message.is_object() || message.value("type", "") != kMsgInit)
    throw std::runtime_error("malformed init message");
  WorkerSettings s;
  s.session_id = message.value("session_id", "");
  s.client_address = message.value("client_address", "");
  s.client_port = message.value<std::uint16_t>("client_port", 0);
  s.security = message.value("security", "nla") == "tls" ? RdpSecurity::tls : RdpSecurity::nla;
  s.handshake_timeout = std::chrono::milliseconds(message.value("handshake_timeout_ms", 20000));
  s.target_connect_timeout =
      std::chrono::milliseconds(message.value("target_connect_timeout_ms", 20000));
  s.notice_text = message.value("notice_text", "");
  s.notice_duration = std::chrono::seconds(message.value("notice_seconds", 0));
  s.watch_notice = message.value("watch_notice", true);
  s.watch_notice_duration = std::chrono::seconds(message.value("watch_notice_seconds", 5));
  s.max_duration = std::chrono::minutes(message.value("max_duration_minutes", 0));
  s.warn_before_minutes = message.value("warn_before_minutes", std::vector<int>{10, 1});
  s.log_level = parse_level(message.value("log_level", "info"));
  s.certificate_pem = Secret(message.value("certificate_pem", ""));
  s.private_key_pem = Secret(message.value("private_key_pem", ""));
  if (auto it = message.find("recording"); it != message.end() && it->is_object()) {
    const auto& r = *it;
    auto& out = s.recording;
    out.enabled = r.value("enabled", true);
    out.dir = r.value("dir", "");
    out.max_fps = r.value("max_fps", out.max_fps);
    out.segment_seconds = r.value("segment_seconds", out.segment_seconds);
    out.flush_seconds = r.value("flush_seconds", out.flush_seconds);
    out.keystrokes = r.value("keystrokes", out.keystrokes);
    out.thumbnail_seconds = r.value("thumbnail_seconds", out.thumbnail_seconds);
    out.fail_closed = r.value("fail_closed", out.fail_closed);
    out.min_free_bytes = r.value("min_free_bytes", out.min_free_bytes);
    out.queue_frames = r.value("queue_frames", out.queue_frames);
  } else {
    s.recording.enabled = false;
  }
  wipe_json(message);
  if (s.session_id.empty() || s.certificate_pem.empty() || s.private_key_pem.empty())
    throw std::runtime_error("incomplete init message");
  return s;
}

void ControlLink::start(CommandHandler on_kill, ControlHandler on_control) {
  on_kill_ = std::move(on_kill);
  on_control_ = std::move(on_control);
  reader_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rdpw-control");
    reader();
  });
}

void ControlLink::stop() {
  if (reader_.joinable()) {
    const char byte = 1;
    (void)!::write(stop_pipe_[1], &byte, 1);
    reader_.join();
  }
}

void ControlLink::reader() noexcept {
  try {
    Frame frame;
    while (read_frame(frame, std::chrono::hours(24 * 365))) {
      if (frame.kind != FrameKind::message) continue;
      auto message = nlohmann::json::parse(frame.payload, nullptr, false);
      wipe(frame.payload);
      if (message.is_object()) dispatch(std::move(message));
    }
  } catch (const std::exception& e) {
    log::warn("control channel: {}", e.what());
  }
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  answered_.notify_all();
}

void ControlLink::dispatch(nlohmann::json message) {
  const auto type = message.value("type", "");
  if (type == kMsgResponse) {
    const auto id = message.value<std::uint64_t>("id", 0);
    {
      std::lock_guard lock(mutex_);
      responses_[id] = std::move(message);
    }
    answered_.notify_all();
  } else if (type == kMsgKill && on_kill_) {
    const auto reason =
        session_end_from_string(message.value("reason", "")).value_or(SessionEnd::killed);
    on_kill_(reason, message.value("message", ""));
  } else if (type == kMsgControl && on_control_) {
    on_control_(message);
  }
}

void ControlLink::send(const nlohmann::json& message) {
  std::string frame = encode_frame(FrameKind::message, message.dump());
  write_frame(frame);
  wipe(frame);
}

void ControlLink::send_media(std::string_view payload) {
  write_frame(encode_frame(FrameKind::media, payload));
}

void ControlLink::write_frame(const std::string& frame) {
  std::lock_guard lock(write_mutex_);
  std::size_t off = 0;
  while (off < frame.size()) {
    const ssize_t n = ::write(fd_, frame.data() + off, frame.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
}

std::optional<nlohmann::json> ControlLink::request(std::string_view method, nlohmann::json params,
                                                   std::chrono::milliseconds timeout) {
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return std::nullopt;
    id = next_id_++;
  }
  params["type"] = kMsgRequest;
  params["id"] = id;
  params["method"] = method;
  send(params);
  wipe_json(params);
  std::unique_lock lock(mutex_);
  if (!answered_.wait_for(lock, timeout, [&] { return closed_ || responses_.count(id) > 0; }))
    return std::nullopt;
  auto it = responses_.find(id);
  if (it == responses_.end()) return std::nullopt;
  auto answer = std::move(it->second);
  responses_.erase(it);
  return answer;
}

std::optional<NtlmKey> ControlLink::ntlm_key(const Login& login) {
  auto answer =
      request(kMethodNtlmKey, {{"user", login.user}, {"domain", login.domain}}, kRequestTimeout);
  if (!answer) return std::nullopt;
  auto key = parse_key(answer->value("key", ""));
  wipe_json(*answer);
  return key;
}

bool ControlLink::verify_password(const Login& login, const Secret& password) {
  auto nt_hash = nt_hash_of(password.view());
  if (!nt_hash) return false;
  nlohmann::json params{{"user", login.user},
                        {"domain", login.domain},
                        {"nt_hash", hex(nt_hash->data(), nt_hash->size())}};
  wipe(nt_hash->data(), nt_hash->size());
  auto answer = request(kMethodVerifyPassword, std::move(params), kRequestTimeout);
  return answer && answer->value("ok", false);
}

Authorization ControlLink::authorize(const Login& login) {
  Authorization result;
  auto answer =
      request(kMethodAuthorize, {{"user", login.user}, {"domain", login.domain}}, kRequestTimeout);
  if (!answer) {
    result.denial = SessionEnd::gateway_error;
    result.detail = "the supervisor did not answer";
    return result;
  }
  if (!answer->value("allowed", false)) {
    result.denial =
        session_end_from_string(answer->value("denial", "")).value_or(SessionEnd::access_denied);
    result.detail = answer->value("detail", "");
    return result;
  }
  auto& g = result.grant;
  g.user = answer->value("user", "");
  g.target = answer->value("target", "");
  g.account_login = answer->value("account_login", "");
  g.account_domain = answer->value("account_domain", "");
  g.host = answer->value("host", "");
  g.port = answer->value<std::uint16_t>("port", 3389);
  g.password = Secret(answer->value("password", ""));
  g.pinned_fingerprint = answer->value("fingerprint", "");
  wipe_json(*answer);
  return result;
}

void ControlLink::target_fingerprint(std::string_view fingerprint) {
  (void)request(kMethodTargetFingerprint, {{"fingerprint", std::string(fingerprint)}}, 2s);
}

void ControlLink::report(const StatusUpdate& update) {
  nlohmann::json message{{"type", kMsgState}, {"state", to_string(update.state)}};
  if (!update.user.empty()) message["user"] = update.user;
  if (!update.target.empty()) message["target"] = update.target;
  if (!update.account.empty()) message["account"] = update.account;
  if (update.width > 0) {
    message["width"] = update.width;
    message["height"] = update.height;
  }
  send(message);
}

void ControlLink::send_ended(SessionEnd reason, std::string_view detail,
                             std::uint64_t recording_bytes) {
  send({{"type", kMsgEnded},
        {"reason", to_string(reason)},
        {"detail", std::string(detail)},
        {"recording_bytes", recording_bytes}});
}

void ControlLink::send_stats(int queue_depth) {
  send({{"type", kMsgStats}, {"queue_depth", queue_depth}});
}

void ControlLink::send_segment(const codec::SegmentRecord& s) {
  send({{"type", kMsgRecordingSegment},
        {"index", s.index},
        {"file", s.file},
        {"init", s.init_file},
        {"start_ms", s.start.count()},
        {"duration_ms", s.duration.count()},
        {"bytes", s.bytes},
        {"sha256", s.sha256},
        {"chain", s.chain}});
}

void ControlLink::send_events(std::span<const codec::EventRecord> events) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : events)
    list.push_back({{"t", e.t.count()}, {"kind", e.kind}, {"line", e.json}});
  send({{"type", kMsgRecordingEvents}, {"events", std::move(list)}});
}

void ControlLink::send_recording_failure(const codec::RecorderFailure& failure) {
  send({{"type", kMsgRecordingFailure},
        {"failure", codec::to_string(failure.kind)},
        {"message", failure.message}});
}

}  // namespace rdpwarden::server::rdp
