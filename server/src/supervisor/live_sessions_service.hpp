#pragma once
// app::LiveSessions for the web console: each call is carried over to the supervisor's io
// thread (where the registry and the workers' links live) and applied by LiveControl, which
// also writes the audit rows. Callers block for at most a few seconds; a supervisor that does
// not answer in that time (shutting down) makes the session count as not live.
//
// Lifetime: must outlive every WatchHandle it returns (stop the console first). The io loop
// must be running for calls to complete.

#include <memory>

#include <boost/asio/io_context.hpp>

#include "app/live_sessions.hpp"
#include "supervisor/live_control.hpp"

namespace rdpwarden::server::supervisor {

class LiveSessionsService final : public app::LiveSessions {
 public:
  LiveSessionsService(boost::asio::io_context& io, LiveControl& control);
  ~LiveSessionsService() override;

  bool is_live(std::string_view session_id) override;
  app::LiveResult control(const app::LiveCommand& command) override;
  std::optional<app::LiveState> state(std::string_view session_id) override;
  std::unique_ptr<app::WatchHandle> watch(std::string_view session_id, std::string_view actor,
                                          std::string_view actor_address,
                                          std::shared_ptr<app::LiveWatcher> watcher) override;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace rdpwarden::server::supervisor
