#include "web/static_files.hpp"
#include <algorithm>

#include "version.hpp"
#include "web/file_response.hpp"
#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;

bool safe_segment(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
  });
}

}  // namespace

std::filesystem::path StaticFiles::locate(const std::filesystem::path& configured) {
  if (!configured.empty()) return configured;
  for (std::filesystem::path dir : {std::filesystem::path(kInstallDataDir) / "web-static",
                                    std::filesystem::path(kSourceDir) / "web-static"}) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "index.html", ec)) return dir;
  }
  return std::filesystem::path(kSourceDir) / "web-static";
}

Response StaticFiles::serve(const RequestContext& ctx) const {
  std::string name = ctx.route.id == RouteId::app_shell ? "index.html" : ctx.route.file;
  std::filesystem::path path = root_;
  std::string_view rest = name;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto seg = rest.substr(0, slash);
    if (!safe_segment(seg))
      return error_response(ctx.request, http::status::not_found, "not found");
    path /= std::string(seg);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  auto st = stat_regular(path);
  if (!st) return error_response(ctx.request, http::status::not_found, "not found");
  FileResponseOptions options;
  options.content_type = content_type_for(path);
  // The page itself is always revalidated; its scripts and styles may be reused for five
  // minutes, so a reload does not cost a round trip per module (an upgrade shows within 5 min).
  options.cache_control = ctx.route.id == RouteId::app_shell ? "no-cache" : "private, max-age=300";
  return file_response(ctx.request, {path}, {*st}, options);
}

}  // namespace rdpwarden::server::web
