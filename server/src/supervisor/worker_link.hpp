#pragma once
// The supervisor's end of one worker's control channel: sends init and kill, answers requests
// through Admission, follows the session's state into the registry, and records how the session
// ended, including when the worker died without saying.
//
// Threads: the supervisor's io thread only. Lives as long as an async read holds it.

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "rdp/control_protocol.hpp"
#include "supervisor/access_service.hpp"
#include "supervisor/admission.hpp"
#include "supervisor/session_registry.hpp"

namespace rdpwarden::server::supervisor {

class WorkerLink final : public SessionHandle, public std::enable_shared_from_this<WorkerLink> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;

  WorkerLink(Socket socket, SessionRegistry& registry, AccessService& access, AdmissionRules rules,
             std::string session_id, std::string client_address, pid_t pid);

  // Sends the init message (it carries the TLS key: wiped after sending) and starts reading.
  void start(nlohmann::json init);
  // Asks the worker to end the session; SIGKILLs it if it has not exited 2 s later.
  void kill(rdp::SessionEnd reason, const std::string& message) override;
  void control(SessionControl action, const std::string& actor, const std::string& text,
               int seconds) override;
  int watch(const std::string& actor, LiveCallback callback) override;
  void unwatch(int watch_id) override;
  // The worker process exited (from the SIGCHLD handler).
  void on_exit(int status);

 private:
  void read_more();
  void on_message(nlohmann::json message);
  void on_state(const nlohmann::json& message);
  void on_ended(const nlohmann::json& message);
  void on_recording(const std::string& type, const nlohmann::json& message);
  void on_media(const std::string& payload);
  void send_control(const nlohmann::json& command);
  void write(std::string frame);
  void write_next();
  void link_closed();
  void finish_if_done();

  Socket socket_;
  boost::asio::steady_timer kill_timer_;
  SessionRegistry& registry_;
  AccessService& access_;
  std::filesystem::path recordings_dir_;
  Admission admission_;
  std::string session_id_;
  std::string client_address_;
  pid_t pid_;
  rdp::FrameDecoder decoder_;
  std::array<char, 16384> buffer_{};
  std::deque<std::string> writes_;
  std::optional<rdp::SessionEnd> reported_end_;
  std::string reported_detail_;
  std::int64_t recording_bytes_ = 0;
  bool closed_ = false;
  std::optional<int> exit_status_;
  bool finished_ = false;
  std::map<int, LiveCallback> watchers_;
  int next_watch_id_ = 1;
  std::optional<LiveChunk> last_init_;
};

}  // namespace rdpwarden::server::supervisor
