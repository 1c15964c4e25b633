#pragma once
// The worker's end of the control channel to the supervisor (a Unix socketpair). It is the
// worker's Broker (requests with answers) and StatusReporter (events), and it delivers the
// supervisor's commands (kill) from its reader thread.
//
// Threads: requests may come from any session thread and block for at most their timeout;
// the reader thread only parses frames and signals waiters or the command handler.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recorder_observer.hpp>

#include "rdp/broker.hpp"
#include "rdp/control_protocol.hpp"
#include "rdp/session.hpp"
#include "rdp/worker_settings.hpp"

namespace rdpwarden::server::rdp {

class ControlLink final : public Broker, public StatusReporter {
 public:
  using CommandHandler = std::function<void(SessionEnd reason, const std::string& message)>;
  // An auditor's control request: {action, actor, text, seconds} as sent by the supervisor.
  using ControlHandler = std::function<void(const nlohmann::json& request)>;

  explicit ControlLink(int fd);
  ~ControlLink() override;
  ControlLink(const ControlLink&) = delete;
  ControlLink& operator=(const ControlLink&) = delete;

  // Reads the init message. Throws std::runtime_error on a timeout or a malformed message.
  WorkerSettings receive_init(std::chrono::milliseconds timeout);
  // Starts the reader thread; `on_kill` runs there.
  void start(CommandHandler on_kill, ControlHandler on_control);
  void send_ended(SessionEnd reason, std::string_view detail, std::uint64_t recording_bytes);
  void send_segment(const codec::SegmentRecord& segment);
  void send_events(std::span<const codec::EventRecord> events);
  void send_recording_failure(const codec::RecorderFailure& failure);
  // A live-view media frame (see control_protocol.hpp).
  void send_media(std::string_view payload);
  // Stops the reader thread.
  void stop();

  std::optional<NtlmKey> ntlm_key(const Login& login) override;
  bool verify_password(const Login& login, const Secret& password) override;
  Authorization authorize(const Login& login) override;
  void target_fingerprint(std::string_view fingerprint) override;
  void report(const StatusUpdate& update) override;

 private:
  std::optional<nlohmann::json> request(std::string_view method, nlohmann::json params,
                                        std::chrono::milliseconds timeout);
  void send(const nlohmann::json& message);
  void write_frame(const std::string& frame);
  bool read_frame(Frame& frame, std::chrono::milliseconds timeout);
  void reader() noexcept;
  void dispatch(nlohmann::json message);

  int fd_;
  std::mutex write_mutex_;
  FrameDecoder decoder_;
  std::thread reader_;
  CommandHandler on_kill_;
  ControlHandler on_control_;
  std::mutex mutex_;
  std::condition_variable answered_;
  std::map<std::uint64_t, nlohmann::json> responses_;
  std::uint64_t next_id_ = 1;
  bool closed_ = false;
  int stop_pipe_[2] = {-1, -1};
};

// Overwrites every string in a JSON value (messages that carried secrets).
void wipe_json(nlohmann::json& value);

}  // namespace rdpwarden::server::rdp
