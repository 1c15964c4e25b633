#include "web/responses.hpp"

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

Response make_response(const Request& req, http::status status) {
  Response res{status, req.version()};
  res.keep_alive(req.keep_alive());
  return res;
}

Response json_response(const Request& req, http::status status, const nlohmann::json& body) {
  auto res = make_response(req, status);
  res.set(http::field::content_type, "application/json; charset=utf-8");
  // Replace invalid UTF-8 (typed text can hold anything) rather than throw.
  res.body().text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

Response error_response(const Request& req, http::status status, std::string_view message) {
  return json_response(req, status, nlohmann::json{{"error", message}});
}

Response early_error(http::status status, std::string_view message) {
  Response res{status, 11};
  res.keep_alive(false);
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body().text = nlohmann::json{{"error", message}}.dump();
  return res;
}

void finalize_response(Response& res, bool head_request, bool hsts) {
  res.set(http::field::server, "rdpwarden");
  res.set("Content-Security-Policy", kCsp);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (hsts) res.set(http::field::strict_transport_security, "max-age=31536000");
  if (res.find(http::field::cache_control) == res.end())
    res.set(http::field::cache_control, "no-store");
  auto code = static_cast<unsigned>(res.result());
  if (code == 204 || code == 304 || code < 200) {
    res.body() = {};
    res.erase(http::field::content_length);
    return;
  }
  res.content_length(ResponseBody::size(res.body()));
  if (head_request) res.body() = {};
}

}  // namespace rdpwarden::server::web
