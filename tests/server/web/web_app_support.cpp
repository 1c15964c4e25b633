#include "server/web/web_app_support.hpp"
#include <fstream>
#include <sstream>

#include <boost/beast/http/field.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "web/responses.hpp"

namespace rdpwarden::test {

namespace http = boost::beast::http;

AppHarness::AppHarness(bool with_live) : config(std::make_shared<server::Config>()) {
  config->data_dir = dir.path() / "data";
  config->web.static_dir = dir.path() / "static";
  config->recording.dir = dir.path() / "recordings";
  std::filesystem::create_directories(config->web.static_dir / "js");
  std::filesystem::create_directories(config->recording.dir);
  std::ofstream(config->web.static_dir / "index.html") << "<!doctype html><title>console</title>";
  std::ofstream(config->web.static_dir / "js" / "app.js") << "export const x = 1;\n";
  app = std::make_unique<server::web::WebApp>(config, backend, metrics, with_live ? &live : nullptr,
                                              [this] { return now; });
}

server::web::Request AppHarness::make_request(http::verb method, std::string target,
                                              const Headers& headers, std::string body) {
  server::web::Request req{method, target, 11};
  req.set(http::field::host, "console.test:8443");
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

server::web::Response AppHarness::request(http::verb method, std::string target,
                                          const Headers& headers, std::string body,
                                          std::string client) {
  server::web::Request req{method, target, 11};
  req.set(http::field::host, "console.test:8443");
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  auto res = app->handle(req, client);
  server::web::finalize_response(res, method == http::verb::head, false);
  return res;
}

std::pair<std::string, std::string> AppHarness::sign_in(const std::string& user,
                                                        const std::string& password) {
  auto res = request(http::verb::post, "/api/v1/login", {{"Content-Type", "application/json"}},
                     nlohmann::json{{"user", user}, {"password", password}}.dump());
  REQUIRE(res.result_int() == 200);
  std::string set_cookie(res[http::field::set_cookie]);
  auto cookie = set_cookie.substr(0, set_cookie.find(';'));
  auto csrf = nlohmann::json::parse(res.body().text).at("csrf_token").get<std::string>();
  return {cookie, csrf};
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string body_bytes(const server::web::Response& res) {
  std::string out = res.body().text;
  for (const auto& p : res.body().pieces)
    out += read_file(p.path).substr(static_cast<std::size_t>(p.offset),
                                    static_cast<std::size_t>(p.length));
  return out;
}

}  // namespace rdpwarden::test
