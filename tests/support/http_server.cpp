#include "support/http_server.hpp"
#include <fstream>

#include "support/fixture_error.hpp"
#include "support/free_port.hpp"

namespace rdpwarden::test {

StaticHttpServer::StaticHttpServer(const std::filesystem::path& root,
                                   std::chrono::milliseconds start_timeout) {
  constexpr int kAttempts = 4;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    port_ = pick_free_tcp_port();
    log_file_ = dir_ / ("http-" + std::to_string(port_) + ".log");
    RunOptions options;
    options.env["PYTHONUNBUFFERED"] = "1";  // the request log must reach the file at once
    server_ = Process({"/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1",
                       "--directory", root.string(), std::to_string(port_)},
                      options, log_file_);
    if (wait_for_listener(server_.pid(), port_, start_timeout,
                          [this] { return server_.running(); }))
      return;
    if (attempt == kAttempts || server_.running())
      throw FixtureError("python3 http.server did not listen on 127.0.0.1:" +
                         std::to_string(port_) + ":\n" + file_tail(log_file_));
  }
}

std::string StaticHttpServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::string StaticHttpServer::log() const {
  std::ifstream in(log_file_);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace rdpwarden::test
