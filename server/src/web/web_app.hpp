#pragma once
// The console as a function from request to response, with no sockets: routing, the session
// cookie, the sign-in requirement, CSRF and origin checks, then the handler. WebServer feeds it
// requests from the network; unit tests feed it requests directly.
//
// Threading: handle() is thread-safe and may block (it calls the Backend and reads files); the
// server runs it on its worker pool, never on a socket thread.

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>

#include <rdpwarden/server/config.hpp>

#include "app/live_sessions.hpp"
#include "util/metrics.hpp"
#include "web/auth_api.hpp"
#include "web/backend.hpp"
#include "web/live_api.hpp"
#include "web/login_throttle.hpp"
#include "web/media_api.hpp"
#include "web/recording_store.hpp"
#include "web/request_context.hpp"
#include "web/response_body.hpp"
#include "web/session_api.hpp"
#include "web/sign_in.hpp"
#include "web/static_files.hpp"
#include "web/web_session_store.hpp"

namespace rdpwarden::server::web {

class WebApp {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `live` may be nullptr (no gateway in this process): live routes answer 503.
  WebApp(std::shared_ptr<const Config> config, Backend& backend, util::MetricsRegistry& metrics,
         app::LiveSessions* live = nullptr, Clock clock = &std::chrono::steady_clock::now);

  // Never throws: a Backend failure is a 503, anything unexpected a 500 (and a log line).
  // The response is not finalized (see finalize_response).
  Response handle(const Request& req, std::string_view client_address);

  // A WebSocket handshake (the live view): the grant to watch, or the refusal to send instead
  // (same checks as handle(): route, cookie, then the origin and whether the session is live).
  std::variant<LiveGrant, Response> admit_upgrade(const Request& req,
                                                  std::string_view client_address);

  // Counts a response that went out, by status (every response, including connection-level
  // errors, passes here once).
  void count_response(unsigned status);

  const Config& config() const { return *config_; }
  WebSessionStore& sessions() { return sessions_; }
  app::LiveSessions* live_sessions() const { return live_.sessions(); }
  util::MetricsRegistry& metrics() { return metrics_; }

 private:
  Response dispatch(RequestContext& ctx);
  // Route errors, the Host header, the cookie and the sign-in requirement; nullopt = go on.
  std::optional<Response> admit(RequestContext& ctx);
  std::optional<Response> check_state_change(const RequestContext& ctx) const;
  Response health(const RequestContext& ctx) const;
  Response metrics_text(const RequestContext& ctx) const;

  std::shared_ptr<const Config> config_;
  Backend& backend_;
  util::MetricsRegistry& metrics_;
  WebSessionStore sessions_;
  LoginThrottle throttle_;
  SignIn sign_in_;
  RecordingStore recordings_;
  StaticFiles static_files_;
  AuthApi auth_;
  LiveApi live_;
  SessionApi session_api_;
  MediaApi media_;
};

}  // namespace rdpwarden::server::web
