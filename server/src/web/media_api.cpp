#include "web/media_api.hpp"

#include <boost/beast/http/field.hpp>
#include <fmt/format.h>

#include "web/file_response.hpp"
#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;

// A request that starts at the first byte (no Range, or "bytes=0-…").
bool from_start(const Request& req) {
  auto it = req.find(http::field::range);
  if (it == req.end()) return true;
  std::string_view v = it->value();
  return v.starts_with("bytes=0-");
}

}  // namespace

std::shared_ptr<const Manifest> MediaApi::manifest_for(const RequestContext& ctx,
                                                       std::optional<Response>& error) {
  const auto& id = ctx.route.session_id;
  if (!backend_.find_session(id)) {
    error = error_response(ctx.request, http::status::not_found, "no such session");
    return nullptr;
  }
  auto loaded = recordings_.manifest(id);
  if (loaded.status != RecordingStore::Status::ok) {
    error = error_response(ctx.request, http::status::not_found, "this session has no recording");
    return nullptr;
  }
  return loaded.manifest;
}

bool MediaApi::first_play_in_a_while(const RequestContext& ctx) {
  auto now = std::chrono::steady_clock::now();
  auto key = ctx.session->csrf_token + "|" + ctx.route.session_id;
  std::lock_guard lock(plays_mutex_);
  if (recent_plays_.size() > 4096) recent_plays_.clear();
  auto [it, inserted] = recent_plays_.try_emplace(key, now);
  if (!inserted && now - it->second < std::chrono::minutes(1)) return false;
  it->second = now;
  return true;
}

Response MediaApi::media(const RequestContext& ctx) {
  std::optional<Response> error;
  auto manifest = manifest_for(ctx, error);
  if (!manifest) return std::move(*error);
  const auto& name = ctx.route.file;
  auto path = recordings_.media_file(ctx.route.session_id, *manifest, name);
  if (!path)
    return error_response(ctx.request, http::status::not_found,
                          "no such file in this session's recording");
  auto st = stat_regular(*path);
  if (!st) return error_response(ctx.request, http::status::not_found, "file missing on disk");
  bool is_init = name.starts_with("init");
  if (is_init && ctx.request.method() == http::verb::get && from_start(ctx.request) &&
      first_play_in_a_while(ctx)) {
    backend_.append_audit({ctx.session->user, AuditAction::session_play, ctx.route.session_id,
                           ctx.client_address, "{}"});
  }
  FileResponseOptions options;
  options.content_type = content_type_for(*path);
  return file_response(ctx.request, {*path}, {*st}, options);
}

Response MediaApi::download(const RequestContext& ctx) {
  std::optional<Response> error;
  auto manifest = manifest_for(ctx, error);
  if (!manifest) return std::move(*error);
  if (manifest->segments.empty())
    return error_response(ctx.request, http::status::not_found, "nothing recorded yet");
  const auto& id = ctx.route.session_id;
  const auto& init = manifest->segments.front().init;
  for (const auto& seg : manifest->segments) {
    if (seg.init != init)
      return error_response(ctx.request, http::status::conflict,
                            "the desktop size changed during this session; export it with "
                            "`rdpwarden export SESSION --mp4 FILE`");
  }
  std::vector<std::filesystem::path> files;
  std::vector<FileStat> stats;
  auto add = [&](const std::string& name) {
    auto path = recordings_.media_file(id, *manifest, name);
    auto st = path ? stat_regular(*path) : std::nullopt;
    if (!st) return false;
    files.push_back(*path);
    stats.push_back(*st);
    return true;
  };
  bool complete = add(init);
  for (const auto& seg : manifest->segments)
    complete = complete && add(seg.file);
  if (!complete)
    return error_response(ctx.request, http::status::not_found, "a recording file is missing");
  if (ctx.request.method() == http::verb::get && from_start(ctx.request)) {
    backend_.append_audit(
        {ctx.session->user, AuditAction::session_download, id, ctx.client_address, "{}"});
  }
  FileResponseOptions options;
  options.content_type = "video/mp4";
  options.content_disposition = fmt::format("attachment; filename=\"rdpwarden-{}.mp4\"", id);
  return file_response(ctx.request, files, stats, options);
}

}  // namespace rdpwarden::server::web
