#pragma once
// Drives web::WebApp without sockets: a temp data dir with a static folder and recordings, a
// FakeBackend, requests built in memory, responses finalized as the connection would.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <rdpwarden/server/config.hpp>

#include "server/web/fake_backend.hpp"
#include "server/web/fake_live_sessions.hpp"
#include "support/temp_dir.hpp"
#include "web/request_context.hpp"
#include "web/response_body.hpp"
#include "web/web_app.hpp"

namespace rdpwarden::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct AppHarness {
  // with_live: the console gets `live` as its LiveSessions; otherwise none (no gateway).
  explicit AppHarness(bool with_live = true);
  TempDir dir{"rdpwarden-web"};
  std::shared_ptr<server::Config> config;
  FakeBackend backend;
  FakeLiveSessions live;
  server::util::MetricsRegistry metrics;
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  std::unique_ptr<server::web::WebApp> app;

  std::filesystem::path recordings() const { return config->recordings_dir(); }
  server::web::Response request(boost::beast::http::verb method, std::string target,
                                const Headers& headers = {}, std::string body = {},
                                std::string client = "192.0.2.10");
  server::web::Request make_request(boost::beast::http::verb method, std::string target,
                                    const Headers& headers = {}, std::string body = {});
  // Signs in (the user must exist in `backend`); returns {cookie header value, csrf token}.
  std::pair<std::string, std::string> sign_in(const std::string& user, const std::string& password);
};

// Everything the response would send: its text and the bytes of its file pieces.
std::string body_bytes(const server::web::Response& res);
std::string read_file(const std::filesystem::path& path);

}  // namespace rdpwarden::test
