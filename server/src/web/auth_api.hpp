#pragma once
// POST /api/v1/login, POST /api/v1/logout, GET /api/v1/me.

#include "web/request_context.hpp"
#include "web/response_body.hpp"
#include "web/sign_in.hpp"

namespace rdpwarden::server::web {

class AuthApi {
 public:
  AuthApi(SignIn& sign_in, WebSessionStore& sessions) : sign_in_(sign_in), sessions_(sessions) {}

  Response login(const RequestContext& ctx);
  Response logout(const RequestContext& ctx);
  Response me(const RequestContext& ctx) const;

 private:
  SignIn& sign_in_;
  WebSessionStore& sessions_;
};

}  // namespace rdpwarden::server::web
