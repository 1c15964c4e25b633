#include "web/seek_api.hpp"
#include <charconv>
#include <memory>
#include <stdexcept>

#include <boost/beast/http/field.hpp>
#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

#include "util/log.hpp"
#include "web/gzip.hpp"
#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;

// What a response needs of its request once the request is gone (the build runs later).
Request request_shape(const Request& req) {
  Request shape{http::verb::get, "/", req.version()};
  shape.keep_alive(req.keep_alive());
  if (auto it = req.find(http::field::accept_encoding); it != req.end())
    shape.set(http::field::accept_encoding, it->value());
  return shape;
}

Response fragment_response(const Request& shape, codec::SeekFragment&& fragment) {
  auto res = make_response(shape, http::status::ok);
  res.set(http::field::content_type, "video/iso.segment");
  // private (per auditor), and no-store like all media: recordings never reach a disk cache.
  res.set(http::field::cache_control, "private, no-store");
  res.set("X-Rdpw-Init", fragment.init);
  res.set("X-Rdpw-Segment", std::to_string(fragment.segment));
  res.set("X-Rdpw-Start-Ms", std::to_string(fragment.start.count()));
  res.set("X-Rdpw-End-Ms", std::to_string(fragment.end.count()));
  res.set(http::field::vary, "Accept-Encoding");
  if (accepts_gzip(shape[http::field::accept_encoding])) {
    res.set(http::field::content_encoding, "gzip");
    res.body().text = gzip(fragment.bytes);
  } else {
    res.body().text.assign(fragment.bytes.begin(), fragment.bytes.end());
  }
  return res;
}

// Runs on the pool: the build, and every way it can fail, as a response.
Response build(codec::SeekIndex& index, const Request& shape, const std::string& id,
               const std::filesystem::path& dir, std::int64_t t_ms, bool live) {
  try {
    return fragment_response(shape, index.fragment_at(dir, codec::SessionTime(t_ms), live));
  } catch (const std::out_of_range&) {
    auto res = error_response(shape, http::status::range_not_satisfiable,
                              fmt::format("t={} ms is outside the recording", t_ms));
    return res;
  } catch (const codec::RecordingError& e) {
    log::warn("web: session {}: seek to {} ms: {}", id, t_ms, e.what());
    return error_response(shape, http::status::not_found,
                          "this session's recording cannot be read at that position");
  } catch (const std::exception& e) {
    log::error("web: session {}: seek to {} ms failed: {}", id, t_ms, e.what());
    return error_response(shape, http::status::internal_server_error, "internal error");
  }
}

}  // namespace

std::optional<std::int64_t> parse_seek_ms(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v > kMaxSeekMs) return std::nullopt;
  return v;
}

void SeekApi::seek(const RequestContext& ctx, Done done) {
  const auto& req = ctx.request;
  const auto& id = ctx.route.session_id;
  auto it = ctx.route.query.find("t");
  auto t_ms = it == ctx.route.query.end() ? std::nullopt : parse_seek_ms(it->second);
  if (!t_ms) {
    return done(error_response(
        req, http::status::bad_request,
        fmt::format("parameter t must be a whole number of milliseconds from 0 to {}",
                    kMaxSeekMs)));
  }
  auto row = backend_.find_session(id);
  if (!row) return done(error_response(req, http::status::not_found, "no such session"));
  auto loaded = recordings_.manifest(id);
  if (loaded.status != RecordingStore::Status::ok)
    return done(error_response(req, http::status::not_found, "this session has no recording"));
  bool live = row->state == SessionState::live;
  // A closed recording ends at its duration; a live one may have grown past its manifest.
  if (!live && *t_ms >= loaded.manifest->duration_ms) {
    return done(error_response(req, http::status::range_not_satisfiable,
                               fmt::format("t={} ms is outside the recording (0 to {} ms)", *t_ms,
                                           loaded.manifest->duration_ms)));
  }
  auto shape = std::make_shared<const Request>(request_shape(req));
  auto job = [this, shape, id, dir = recordings_.folder(id), t = *t_ms, live, done]() {
    done(build(index_, *shape, id, dir, t, live));
  };
  if (pool_.try_post(std::move(job))) return;
  auto res = error_response(req, http::status::service_unavailable,
                            "too many seeks in progress; try again shortly");
  res.set(http::field::retry_after, std::to_string(kRetryAfterSeconds));
  done(std::move(res));
}

void SeekApi::prepare(const std::string& session_id) noexcept {
  try {
    if (recordings_.manifest(session_id).status != RecordingStore::Status::ok) return;
    index_.prepare(recordings_.folder(session_id));
  } catch (const std::exception& e) {
    log::warn("web: session {}: preparing seeks failed: {}", session_id, e.what());
  }
}

}  // namespace rdpwarden::server::web
