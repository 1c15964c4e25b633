#include "web/file_response.hpp"
#include <algorithm>
#include <sys/stat.h>

#include <boost/beast/http/field.hpp>
#include <fmt/format.h>

#include "web/conditional.hpp"
#include "web/crypto_util.hpp"
#include "web/range.hpp"
#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;

// The byte range [first, last] of the concatenation of `files` as file pieces.
std::vector<FilePiece> slice(const std::vector<std::filesystem::path>& files,
                             const std::vector<FileStat>& stats, ByteRange range) {
  std::vector<FilePiece> out;
  std::uint64_t base = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::uint64_t begin = base;
    std::uint64_t end = base + stats[i].size;  // exclusive
    base = end;
    if (end <= range.first || begin > range.last) continue;
    std::uint64_t from = std::max(range.first, begin);
    std::uint64_t to = std::min(range.last + 1, end);
    out.push_back({files[i], from - begin, to - from});
  }
  return out;
}

}  // namespace

std::optional<FileStat> stat_regular(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  FileStat out;
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
  out.etag_part = fmt::format("{:x}-{:x}{:08x}", out.size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  return out;
}

std::string content_type_for(const std::filesystem::path& path) {
  auto ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".mp4") return "video/mp4";
  if (ext == ".m4s") return "video/iso.segment";
  return "application/octet-stream";
}

Response file_response(const Request& req, const std::vector<std::filesystem::path>& files,
                       const std::vector<FileStat>& stats, const FileResponseOptions& options) {
  Validators v;
  std::uint64_t total = 0;
  std::string tag_source;
  for (const auto& s : stats) {
    total += s.size;
    tag_source += s.etag_part + ";";
    if (!v.last_modified || s.mtime > *v.last_modified) v.last_modified = s.mtime;
  }
  v.etag = stats.size() == 1 ? "\"" + stats[0].etag_part + "\""
                             : "\"" + sha256_hex(tag_source).substr(0, 32) + "\"";

  auto with_validators = [&](http::status status) {
    auto res = make_response(req, status);
    res.set(http::field::etag, v.etag);
    res.set(http::field::last_modified, format_http_date(*v.last_modified));
    res.set(http::field::accept_ranges, "bytes");
    res.set(http::field::cache_control, options.cache_control);
    return res;
  };

  switch (evaluate_preconditions(req, v)) {
    case Precondition::not_modified:
      return with_validators(http::status::not_modified);
    case Precondition::precondition_failed:
      return error_response(req, http::status::precondition_failed, "precondition failed");
    case Precondition::proceed:
      break;
  }

  RangeRequest range;
  if (auto it = req.find(http::field::range); it != req.end() && if_range_allows(req, v))
    range = parse_range(it->value(), total);
  if (range.kind == RangeKind::unsatisfiable) {
    auto res = error_response(req, http::status::range_not_satisfiable, "range not satisfiable");
    res.set(http::field::content_range, fmt::format("bytes */{}", total));
    return res;
  }
  bool partial = range.kind == RangeKind::satisfiable;
  auto res = with_validators(partial ? http::status::partial_content : http::status::ok);
  res.set(http::field::content_type, options.content_type);
  if (!options.content_disposition.empty())
    res.set(http::field::content_disposition, options.content_disposition);
  ByteRange whole{0, total == 0 ? 0 : total - 1};
  if (partial) {
    res.set(http::field::content_range,
            fmt::format("bytes {}-{}/{}", range.range.first, range.range.last, total));
    res.body().pieces = slice(files, stats, range.range);
  } else if (total > 0) {
    res.body().pieces = slice(files, stats, whole);
  }
  return res;
}

}  // namespace rdpwarden::server::web
