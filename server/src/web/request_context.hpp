#pragma once
// What a handler gets: the parsed request, who sent it, the route, and the signed-in console
// session when there is one.

#include <optional>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "web/router.hpp"
#include "web/web_session_store.hpp"

namespace rdpwarden::server::web {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

struct RequestContext {
  const Request& request;
  std::string client_address;
  RouteMatch route;
  std::optional<WebSession> session;  // set when the cookie names a live session
  std::string session_token;          // the cookie's value, when present
};

}  // namespace rdpwarden::server::web
