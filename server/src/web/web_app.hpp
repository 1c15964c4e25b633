#pragma once
// The console as a function from request to response, with no sockets: routing, the session
// cookie, the sign-in requirement, CSRF and origin checks, then the handler. WebServer feeds it
// requests from the network; unit tests feed it requests directly.
//
// Threading: handle_async() and handle() are thread-safe and may block (they call the Backend
// and read files); the server runs them on its worker pool, never on a socket thread. Seek
// fragments are built on a pool of their own (SeekApi), so a burst of seeks never occupies the
// handler pool.

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
#include "web/bounded_pool.hpp"
#include "web/live_api.hpp"
#include "web/login_throttle.hpp"
#include "web/media_api.hpp"
#include "web/recording_store.hpp"
#include "web/request_context.hpp"
#include "web/response_body.hpp"
#include "web/seek_api.hpp"
#include "web/session_api.hpp"
#include "web/sign_in.hpp"
#include "web/static_files.hpp"
#include "web/web_session_store.hpp"

namespace rdpwarden::server::web {

class WebApp {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Responder = std::function<void(Response)>;

  // The pool that builds seek fragments: a couple of threads (the build is CPU-bound and the
  // machine has other work), a short queue (a scrubbing auditor supersedes his own seeks).
  static constexpr int kSeekThreads = 2;
  static constexpr std::size_t kSeekQueue = 8;

  // `live` may be nullptr (no gateway in this process): live routes answer 503.
  WebApp(std::shared_ptr<const Config> config, Backend& backend, util::MetricsRegistry& metrics,
         app::LiveSessions* live = nullptr, Clock clock = &std::chrono::steady_clock::now);
  ~WebApp();

  // Answers `req` through `done`, exactly once: on this thread for every route but the seek
  // route, whose fragment is built on the seek pool and answered from there. Never throws: a
  // Backend failure is a 503, anything unexpected a 500 (and a log line). The response is not
  // finalized (see finalize_response). `req` need not outlive the call.
  void handle_async(const Request& req, std::string_view client_address, Responder done);
  // The same, waiting for the answer (tests; a seek waits for its build).
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
  BoundedPool& seek_pool() { return seek_pool_; }
  codec::SeekIndex& seek_index() { return seek_index_; }

  // Stops the seek pool (running builds finish, queued ones are dropped unanswered); after
  // this a seek answers 503. The server calls it once no socket thread runs.
  void stop_background() { seek_pool_.stop(); }

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
  // One per server: its snapshot cache spans every session; it watches the recordings folder
  // and prepares each segment as it closes (on disk under Config::seek_cache_dir()).
  codec::SeekIndex seek_index_;
  BoundedPool seek_pool_{kSeekThreads, kSeekQueue};
  SeekApi seek_;
  SessionApi session_api_;
  MediaApi media_;
};

}  // namespace rdpwarden::server::web
