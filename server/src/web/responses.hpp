#pragma once
// Building responses: JSON answers and errors in one shape ({"error": "..."}), and the headers
// every response carries (CSP without inline script, nosniff, no framing, no referrer).

#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>
#include <nlohmann/json_fwd.hpp>

#include "web/request_context.hpp"
#include "web/response_body.hpp"

namespace rdpwarden::server::web {

// An empty response with the request's HTTP version and keep-alive.
Response make_response(const Request& req, boost::beast::http::status status);
Response json_response(const Request& req, boost::beast::http::status status,
                       const nlohmann::json& body);
Response error_response(const Request& req, boost::beast::http::status status,
                        std::string_view message);
// For failures before a request exists (bad header, too large): HTTP/1.1, connection closes.
Response early_error(boost::beast::http::status status, std::string_view message);

// Security headers, Content-Length and HEAD handling; called once on every response just
// before it is written. `hsts` only when the certificate is a real one (a self-signed
// certificate with HSTS would lock browsers out of the console).
void finalize_response(Response& res, bool head_request, bool hsts);

}  // namespace rdpwarden::server::web
