#include "web/web_app.hpp"
#include <future>

#include <boost/beast/http/field.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "util/log.hpp"
#include "web/cookies.hpp"
#include "web/crypto_util.hpp"
#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono;

bool public_route(RouteId id) {
  return id == RouteId::app_shell || id == RouteId::static_file || id == RouteId::healthz ||
         id == RouteId::metrics || id == RouteId::login;
}

codec::SeekIndexOptions seek_index_options(const Config& config) {
  codec::SeekIndexOptions o;
  o.store_dir = config.seek_cache_dir();
  o.watch_root = config.recordings_dir();
  return o;
}

}  // namespace

WebApp::WebApp(std::shared_ptr<const Config> config, Backend& backend,
               util::MetricsRegistry& metrics, app::LiveSessions* live, Clock clock)
    : config_(std::move(config)),
      backend_(backend),
      metrics_(metrics),
      sessions_(minutes(config_->web.session_idle_minutes),
                hours(config_->web.session_absolute_hours), 10000, clock),
      throttle_({config_->web.login_max_failures, config_->web.login_max_failures * 4,
                 seconds(config_->web.login_lockout_seconds)},
                clock),
      sign_in_(backend_, throttle_, sessions_),
      recordings_(config_->recordings_dir()),
      static_files_(StaticFiles::locate(config_->web.static_dir)),
      auth_(sign_in_, sessions_),
      live_(backend_, live),
      seek_index_(seek_index_options(*config_)),
      seek_(backend_, recordings_, seek_index_, seek_pool_),
      session_api_(backend_, recordings_, live_, &seek_),
      media_(backend_, recordings_) {
  // The series other components feed, present from the start so dashboards see zeros.
  metrics_.gauge(util::metric::kSessionsActive, "RDP sessions in progress");
  metrics_.counter(util::metric::kRecordedBytes, "Bytes of recording written");
  metrics_.gauge(util::metric::kEncoderQueueDepth, "Frames waiting in the encoder queues");
  metrics_.gauge("rdpwarden_web_signed_in", "Console sessions signed in");
}

// Builds in flight reference the index and the handlers: they finish before any member goes.
WebApp::~WebApp() {
  seek_pool_.stop();
}

void WebApp::count_response(unsigned status) {
  metrics_
      .counter(util::metric::kHttpRequests, "HTTP requests answered by the console",
               {{"code", std::to_string(status)}})
      .inc();
}

std::optional<Response> WebApp::admit(RequestContext& ctx) {
  const auto& req = ctx.request;
  switch (ctx.route.error) {
    case RouteError::bad_target:
      return error_response(req, http::status::bad_request, "malformed request path or query");
    case RouteError::method_not_allowed: {
      auto res = error_response(req, http::status::method_not_allowed, "method not allowed");
      res.set(http::field::allow, ctx.route.allow);
      return res;
    }
    case RouteError::not_found:
      return error_response(req, http::status::not_found, "not found");
    case RouteError::none:
      break;
  }
  if (req.version() >= 11 && req.find(http::field::host) == req.end())
    return error_response(req, http::status::bad_request, "missing Host header");
  if (auto cookie = find_cookie(req[http::field::cookie], kSessionCookie)) {
    ctx.session_token = std::string(*cookie);
    ctx.session = sessions_.touch(ctx.session_token);
  }
  if (!public_route(ctx.route.id) && !ctx.session) {
    auto res = error_response(req, http::status::unauthorized, "sign in required");
    if (!ctx.session_token.empty()) res.set(http::field::set_cookie, clear_session_cookie());
    return res;
  }
  return std::nullopt;
}

void WebApp::handle_async(const Request& req, std::string_view client_address, Responder done) {
  RequestContext ctx{req, std::string(client_address), route(req.method(), req.target()), {}, {}};
  std::optional<Response> res;
  try {
    res = admit(ctx);
    if (!res && is_state_changing(req.method())) res = check_state_change(ctx);
    if (!res && ctx.route.id == RouteId::session_seek) return seek_.seek(ctx, done);
    if (!res) res = dispatch(ctx);
  } catch (const storage::StorageError& e) {
    log::error("web: {} {}: storage: {}", req.method_string(), req.target().substr(0, 200),
               e.what());
    res = error_response(req, http::status::service_unavailable,
                         "the database is not available; try again shortly");
  } catch (const std::exception& e) {
    log::error("web: {} {} failed: {}", req.method_string(), req.target().substr(0, 200), e.what());
    res = error_response(req, http::status::internal_server_error, "internal error");
  }
  done(std::move(*res));
}

Response WebApp::handle(const Request& req, std::string_view client_address) {
  auto promise = std::make_shared<std::promise<Response>>();
  auto answer = promise->get_future();
  handle_async(req, client_address,
               [promise](Response res) { promise->set_value(std::move(res)); });
  try {
    return answer.get();
  } catch (const std::future_error&) {  // the seek pool stopped with the build still queued
    return error_response(req, http::status::service_unavailable, "the console is stopping");
  }
}

std::variant<LiveGrant, Response> WebApp::admit_upgrade(const Request& req,
                                                        std::string_view client_address) {
  RequestContext ctx{req, std::string(client_address), route(req.method(), req.target()), {}, {}};
  try {
    if (auto refused = admit(ctx)) return std::move(*refused);
    if (ctx.route.id != RouteId::session_live)
      return error_response(req, http::status::not_found, "no WebSocket here");
    LiveGrant grant;
    if (auto refused = live_.admit_watch(ctx, grant)) return std::move(*refused);
    return grant;
  } catch (const storage::StorageError& e) {
    log::error("web: live view {}: storage: {}", req.target().substr(0, 200), e.what());
    return error_response(req, http::status::service_unavailable,
                          "the database is not available; try again shortly");
  } catch (const std::exception& e) {
    log::error("web: live view {} failed: {}", req.target().substr(0, 200), e.what());
    return error_response(req, http::status::internal_server_error, "internal error");
  }
}

// Cross-site requests are refused by origin first (the browser tells us where a request comes
// from), and every signed-in change needs the session's CSRF token in X-CSRF-Token.
std::optional<Response> WebApp::check_state_change(const RequestContext& ctx) const {
  const auto& req = ctx.request;
  auto origin = req[http::field::origin];
  if (!origin.empty() && origin != fmt::format("https://{}", req[http::field::host]))
    return error_response(req, http::status::forbidden, "cross-origin request refused");
  if (req["Sec-Fetch-Site"] == "cross-site")
    return error_response(req, http::status::forbidden, "cross-site request refused");
  if (ctx.route.id == RouteId::login) return std::nullopt;
  auto token = req["X-CSRF-Token"];
  if (!ctx.session || !constant_time_equal(token, ctx.session->csrf_token))
    return error_response(req, http::status::forbidden, "missing or wrong CSRF token");
  return std::nullopt;
}

Response WebApp::dispatch(RequestContext& ctx) {
  switch (ctx.route.id) {
    case RouteId::app_shell:
    case RouteId::static_file:
      return static_files_.serve(ctx);
    case RouteId::healthz:
      return health(ctx);
    case RouteId::metrics:
      return metrics_text(ctx);
    case RouteId::login:
      return auth_.login(ctx);
    case RouteId::logout:
      return auth_.logout(ctx);
    case RouteId::me:
      return auth_.me(ctx);
    case RouteId::sessions:
      return session_api_.list(ctx);
    case RouteId::session:
      return session_api_.detail(ctx);
    case RouteId::session_events:
      return session_api_.events(ctx);
    case RouteId::session_recording:
      return session_api_.recording(ctx);
    case RouteId::session_activity:
      return session_api_.activity(ctx);
    case RouteId::session_media:
      return media_.media(ctx);
    case RouteId::session_download:
      return media_.download(ctx);
    case RouteId::session_seek:  // answered by handle_async through the seek pool
      break;
    case RouteId::session_control:
      return live_.control(ctx);
    case RouteId::session_live: {
      auto res = error_response(ctx.request, http::status::upgrade_required,
                                "the live view is a WebSocket");
      res.set(http::field::upgrade, "websocket");
      return res;
    }
    case RouteId::not_found:
      break;
  }
  return error_response(ctx.request, http::status::not_found, "not found");
}

Response WebApp::health(const RequestContext& ctx) const {
  auto res = make_response(ctx.request, http::status::ok);
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.body().text = "ok\n";
  return res;
}

Response WebApp::metrics_text(const RequestContext& ctx) const {
  metrics_.gauge("rdpwarden_web_signed_in", "Console sessions signed in")
      .set(static_cast<std::int64_t>(sessions_.size()));
  auto res = make_response(ctx.request, http::status::ok);
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.body().text = metrics_.render();
  return res;
}

}  // namespace rdpwarden::server::web
