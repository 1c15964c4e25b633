#pragma once
// app::LiveSessions for one running session without the gateway, for the live-view browser test
// and benchmark: a real codec::Recorder (the encoder and LiveSubscriber output the gateway
// relays) fed a synthetic desktop that the test repaints on demand, fanned out to every
// watcher the way the supervisor does (latest init first, then from a keyframe: a new watcher
// asks the recorder for one). Controls are recorded for assertions; suspend and resume change
// the control state every watcher hears of (on_state, also when a watch starts or stops), as
// set_suspended does for an actor outside the console (the CLI); terminate ends the stream
// (watchers get on_end) and makes the session not live. Thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <rdpwarden/codec/recorder.hpp>

#include "app/live_sessions.hpp"

namespace rdpwarden::test {

class RecorderLiveSessions : public server::app::LiveSessions {
 public:
  // Records into <recordings_root>/<id>/ at width x height from now on.
  RecorderLiveSessions(const std::filesystem::path& recordings_root, std::string id,
                       int width = 640, int height = 360);
  ~RecorderLiveSessions() override;

  // Repaints the whole desktop in `rgb` (0xRRGGBB) with a `mark` square (0xRRGGBB) in the top
  // left corner and hands the frame to the recorder; returns when it was handed over
  // (system_clock, so a browser on this machine can be compared against it).
  std::chrono::system_clock::time_point paint(std::uint32_t rgb, std::uint32_t mark = 0xffffff);
  bool ended() const;
  std::vector<server::app::LiveCommand> commands() const;
  int watches_started() const;
  int watchers() const;
  // As if the CLI suspended or resumed the session.
  void set_suspended(bool suspended);
  // Ends the recording (the destructor does too).
  void stop();

  bool is_live(std::string_view session_id) override;
  server::app::LiveResult control(const server::app::LiveCommand& command) override;
  std::optional<server::app::LiveState> state(std::string_view session_id) override;
  std::unique_ptr<server::app::WatchHandle> watch(
      std::string_view session_id, std::string_view actor, std::string_view actor_address,
      std::shared_ptr<server::app::LiveWatcher> watcher) override;

  class Fanout;

 private:
  void end(const std::string& reason);

  std::string id_;
  int width_;
  int height_;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::uint8_t> pixels_;
  std::shared_ptr<Fanout> fanout_;
  std::unique_ptr<codec::NullRecorderObserver> observer_;
  std::unique_ptr<codec::Recorder> recorder_;
  mutable std::mutex mutex_;
  bool ended_ = false;
  bool stopped_ = false;
  int watches_ = 0;
  std::vector<server::app::LiveCommand> commands_;
};

}  // namespace rdpwarden::test
