#include "web/auth_api.hpp"

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "web/cookies.hpp"
#include "web/crypto_util.hpp"
#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

json principal_json(const WebSession& s) {
  return {{"user", s.user}, {"role", to_string(s.role)}, {"csrf_token", s.csrf_token}};
}

// Credentials from the JSON body; the password copy inside the parsed document is wiped here,
// the one returned is wiped by the caller.
bool read_credentials(std::string_view body, std::string& user, std::string& password) {
  auto doc = json::parse(body, nullptr, false);
  bool ok = doc.is_object() && doc.contains("user") && doc["user"].is_string() &&
            doc.contains("password") && doc["password"].is_string();
  if (ok) {
    user = doc["user"].get<std::string>();
    password = doc["password"].get<std::string>();
  }
  if (doc.is_object() && doc.contains("password") && doc["password"].is_string())
    wipe(doc["password"].get_ref<std::string&>());
  return ok;
}

}  // namespace

Response AuthApi::login(const RequestContext& ctx) {
  const auto& req = ctx.request;
  auto type = req[http::field::content_type];
  if (!type.starts_with("application/json"))
    return error_response(req, http::status::unsupported_media_type,
                          "sign-in expects application/json");
  std::string user;
  std::string password;
  if (!read_credentials(req.body(), user, password)) {
    wipe(password);
    return error_response(req, http::status::bad_request,
                          "sign-in expects {\"user\": ..., \"password\": ...}");
  }
  SignInResult result;
  try {
    result = sign_in_.sign_in(user, password, ctx.client_address);
  } catch (...) {
    wipe(password);
    throw;
  }
  wipe(password);
  switch (result.status) {
    case SignInStatus::throttled: {
      auto res = error_response(req, http::status::too_many_requests,
                                "too many failed sign-ins; try again later");
      res.set(http::field::retry_after, std::to_string(result.retry_after.count()));
      return res;
    }
    case SignInStatus::not_permitted:
      return error_response(req, http::status::forbidden,
                            "this account may not use the console (role admin or auditor needed)");
    case SignInStatus::bad_credentials:
      return error_response(req, http::status::unauthorized, "wrong user name or password");
    case SignInStatus::ok:
      break;
  }
  // If the browser already had a session (signing in as someone else), end it.
  if (!ctx.session_token.empty()) sessions_.remove(ctx.session_token);
  auto res = json_response(req, http::status::ok, principal_json(result.session.session));
  res.set(http::field::set_cookie,
          session_cookie(result.session.token, sessions_.absolute_timeout()));
  wipe(result.session.token);
  return res;
}

Response AuthApi::logout(const RequestContext& ctx) {
  sign_in_.sign_out(ctx.session_token, ctx.client_address);
  auto res = make_response(ctx.request, http::status::no_content);
  res.set(http::field::set_cookie, clear_session_cookie());
  return res;
}

Response AuthApi::me(const RequestContext& ctx) const {
  // The router guarantees a session here (me requires sign-in).
  return json_response(ctx.request, http::status::ok, principal_json(*ctx.session));
}

}  // namespace rdpwarden::server::web
