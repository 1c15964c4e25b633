#pragma once
// The console's own files from web-static/: pages of the single-page app get index.html,
// assets are served by name. Names are checked segment by segment (letters, digits, '.', '-',
// '_', no leading dot) and symlinks are refused, so nothing outside the folder is reachable.

#include <filesystem>

#include "web/request_context.hpp"
#include "web/response_body.hpp"

namespace rdpwarden::server::web {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  Response serve(const RequestContext& ctx) const;
  const std::filesystem::path& root() const { return root_; }

  // The configured folder, else the installed one, else the source tree's (for development).
  static std::filesystem::path locate(const std::filesystem::path& configured);

 private:
  std::filesystem::path root_;
};

}  // namespace rdpwarden::server::web
