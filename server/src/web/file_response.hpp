#pragma once
// Serving bytes from files with the HTTP semantics media needs: validators (ETag from size and
// mtime, Last-Modified), conditional requests (304/412), a single Range (206/416) honoured
// only when If-Range agrees, all over one file or over a sequence of files seen as one
// representation (init + segments = the MP4 download).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "web/request_context.hpp"
#include "web/response_body.hpp"

namespace rdpwarden::server::web {

struct FileStat {
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point mtime;
  std::string etag_part;  // size and mtime, hex
};

// A regular file that is not a symlink; nullopt otherwise (or when missing).
std::optional<FileStat> stat_regular(const std::filesystem::path& path);

struct FileResponseOptions {
  std::string content_type;
  std::string cache_control = "no-store";
  std::string content_disposition;  // empty: none
};

// `files` with their stats (same order) form the representation.
Response file_response(const Request& req, const std::vector<std::filesystem::path>& files,
                       const std::vector<FileStat>& stats, const FileResponseOptions& options);

// Content-Type by file extension (what the console serves; anything else is octet-stream).
std::string content_type_for(const std::filesystem::path& path);

}  // namespace rdpwarden::server::web
