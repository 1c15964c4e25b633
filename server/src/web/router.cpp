#include "web/router.hpp"
#include <array>
#include <optional>
#include <vector>

#include "web/url.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;

enum class Methods { get, post };

struct RouteSpec {
  RouteId id;
  Methods methods;
  // Literal segments; ":id" is a session id; "*" takes the remaining (one or more) segments.
  std::vector<std::string_view> pattern;
};

const std::vector<RouteSpec>& table() {
  static const std::vector<RouteSpec> routes = {
      {RouteId::app_shell, Methods::get, {}},
      {RouteId::app_shell, Methods::get, {"login"}},
      {RouteId::app_shell, Methods::get, {"sessions"}},
      {RouteId::app_shell, Methods::get, {"sessions", ":id"}},
      {RouteId::static_file, Methods::get, {"css", "*"}},
      {RouteId::static_file, Methods::get, {"js", "*"}},
      {RouteId::static_file, Methods::get, {"img", "*"}},
      {RouteId::static_file, Methods::get, {"favicon.svg"}},
      {RouteId::healthz, Methods::get, {"healthz"}},
      {RouteId::metrics, Methods::get, {"metrics"}},
      {RouteId::login, Methods::post, {"api", "v1", "login"}},
      {RouteId::logout, Methods::post, {"api", "v1", "logout"}},
      {RouteId::me, Methods::get, {"api", "v1", "me"}},
      {RouteId::sessions, Methods::get, {"api", "v1", "sessions"}},
      {RouteId::session, Methods::get, {"api", "v1", "sessions", ":id"}},
      {RouteId::session_events, Methods::get, {"api", "v1", "sessions", ":id", "events"}},
      {RouteId::session_recording, Methods::get, {"api", "v1", "sessions", ":id", "recording"}},
      {RouteId::session_activity, Methods::get, {"api", "v1", "sessions", ":id", "activity"}},
      {RouteId::session_media, Methods::get, {"api", "v1", "sessions", ":id", "media", "*"}},
      {RouteId::session_download, Methods::get, {"api", "v1", "sessions", ":id", "download.mp4"}},
      {RouteId::session_seek, Methods::get, {"api", "v1", "sessions", ":id", "seek"}},
      {RouteId::session_live, Methods::get, {"api", "v1", "sessions", ":id", "live"}},
      {RouteId::session_control, Methods::post, {"api", "v1", "sessions", ":id", "suspend"}},
      {RouteId::session_control, Methods::post, {"api", "v1", "sessions", ":id", "resume"}},
      {RouteId::session_control, Methods::post, {"api", "v1", "sessions", ":id", "terminate"}},
      {RouteId::session_control, Methods::post, {"api", "v1", "sessions", ":id", "message"}},
  };
  return routes;
}

bool method_allowed(Methods m, http::verb v) {
  if (m == Methods::get) return v == http::verb::get || v == http::verb::head;
  return v == http::verb::post;
}

std::string_view allow_header(Methods m) {
  return m == Methods::get ? "GET, HEAD" : "POST";
}

// Matches `segments` against `pattern`; fills the parameters on success.
bool match(const RouteSpec& spec, const std::vector<std::string>& segments, RouteMatch& out) {
  std::size_t i = 0;
  for (; i < spec.pattern.size(); ++i) {
    auto part = spec.pattern[i];
    if (part == "*") {
      if (i >= segments.size()) return false;
      std::string rest;
      for (std::size_t j = i; j < segments.size(); ++j)
        rest += (j > i ? "/" : "") + segments[j];
      out.file = rest;
      return true;
    }
    if (i >= segments.size()) return false;
    if (part == ":id") {
      if (!valid_session_id(segments[i])) return false;
      out.session_id = segments[i];
    } else if (part != segments[i]) {
      return false;
    }
  }
  return i == segments.size();
}

}  // namespace

bool valid_session_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '-') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_state_changing(http::verb method) {
  return method != http::verb::get && method != http::verb::head && method != http::verb::options &&
         method != http::verb::trace;
}

RouteMatch route(http::verb method, std::string_view target) {
  RouteMatch result;
  auto parsed = parse_target(target);
  if (!parsed) {
    result.error = RouteError::bad_target;
    return result;
  }
  auto query = parse_query(parsed->query);
  if (!query) {
    result.error = RouteError::bad_target;
    return result;
  }
  std::optional<Methods> wrong_method;
  for (const auto& spec : table()) {
    RouteMatch candidate;
    if (!match(spec, parsed->segments, candidate)) continue;
    if (!method_allowed(spec.methods, method)) {
      wrong_method = spec.methods;
      continue;
    }
    candidate.id = spec.id;
    candidate.error = RouteError::none;
    if (spec.id == RouteId::static_file) {
      candidate.file.clear();
      for (const auto& s : parsed->segments)
        candidate.file += (candidate.file.empty() ? "" : "/") + s;
    }
    if (spec.id == RouteId::session_control) candidate.action = parsed->segments.back();
    candidate.query = std::move(*query);
    return candidate;
  }
  if (wrong_method) {
    result.error = RouteError::method_not_allowed;
    result.allow = std::string(allow_header(*wrong_method));
  }
  return result;
}

}  // namespace rdpwarden::server::web
