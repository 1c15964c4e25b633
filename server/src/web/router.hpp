#pragma once
// Routing is a pure function from (method, request-target) to a route and its parameters, so it
// is tested without sockets. Parameters come out percent-decoded and shape-checked; whether a
// file belongs to a session is the media handler's business.

#include <map>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

namespace rdpwarden::server::web {

enum class RouteId {
  not_found,
  app_shell,  // a page of the single-page console: index.html
  static_file,
  healthz,
  metrics,
  login,
  logout,
  me,
  sessions,
  session,
  session_recording,  // the recording's index alone (a live page polls it; not audited)
  session_events,
  session_activity,
  session_media,
  session_download,
  session_seek,     // GET .../seek?t=<ms>: a seek fragment (SeekApi)
  session_control,  // POST .../{suspend|resume|terminate|message}: `action` names which
  session_live,     // GET .../live: the live view's WebSocket (upgrade only)
};

enum class RouteError {
  none,
  bad_target,          // 400: malformed path or query
  not_found,           // 404
  method_not_allowed,  // 405, `allow` lists what is
};

struct RouteMatch {
  RouteId id = RouteId::not_found;
  RouteError error = RouteError::not_found;
  std::string session_id;
  std::string file;    // static_file: path below web-static/; session_media: the media file name
  std::string action;  // session_control: suspend, resume, terminate or message
  std::map<std::string, std::string> query;
  std::string allow;  // for method_not_allowed
};

RouteMatch route(boost::beast::http::verb method, std::string_view target);

// Session ids are what the gateway generates (UUIDs); anything else is refused before it comes
// near a path or a query.
bool valid_session_id(std::string_view id);

// True for the routes that change state (and so need the CSRF token).
bool is_state_changing(boost::beast::http::verb method);

}  // namespace rdpwarden::server::web
