#pragma once
// Conditional requests (RFC 9110 §13) for static files and media: ETag / Last-Modified
// validators, the precondition order for GET/HEAD, and If-Range.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/fields.hpp>

namespace rdpwarden::server::web {

struct Validators {
  std::string etag;  // a strong entity-tag including quotes, e.g. "\"5f2c…\""; empty: none
  std::optional<std::chrono::system_clock::time_point> last_modified;
};

enum class Precondition {
  proceed,
  not_modified,         // 304
  precondition_failed,  // 412
};

// Evaluates If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since in the RFC's order
// for a GET or HEAD.
Precondition evaluate_preconditions(const boost::beast::http::fields& request,
                                    const Validators& validators);

// Whether a Range may be honoured given the request's If-Range (true when there is none).
bool if_range_allows(const boost::beast::http::fields& request, const Validators& validators);

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string format_http_date(std::chrono::system_clock::time_point t);
// IMF-fixdate only (the obsolete formats are not worth the parser); nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace rdpwarden::server::web
