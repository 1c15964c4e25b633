#include "cli/session_commands.hpp"
#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"

namespace rdpwarden::server::cli {
namespace {

// One request over the admin socket; the answer as JSON. Throws with a one-line reason.
nlohmann::json ask_gateway(const Config& config, const nlohmann::json& request) {
  const auto path = (config.run_dir() / "admin.sock").string();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path))
    throw std::runtime_error(fmt::format("the admin socket path is too long: {}", path));
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("cannot create a socket");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    throw std::runtime_error(fmt::format("the gateway is not running (no admin socket at {}: {})",
                                         path, std::strerror(errno)));
  const std::string line = request.dump() + "\n";
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    throw std::runtime_error("cannot talk to the gateway");
  std::string answer;
  char buffer[4096];
  while (answer.find('\n') == std::string::npos) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  auto parsed = nlohmann::json::parse(answer, nullptr, false);
  if (!parsed.is_object()) throw std::runtime_error("the gateway sent no answer");
  return parsed;
}

int list_sessions(CliContext& ctx, bool json) {
  auto answer = ask_gateway(*ctx.config(), {{"cmd", "list"}});
  if (!answer.value("ok", false))
    throw std::runtime_error(answer.value("error", "the gateway refused the request"));
  const auto& sessions = answer["sessions"];
  if (json) {
    std::cout << sessions.dump(2) << "\n";
    return 0;
  }
  if (sessions.empty()) {
    fmt::print("no live sessions\n");
    return 0;
  }
  fmt::print("{:<36}  {:<10}  {:<16}  {:<16}  {:<16}  {:<15}  {}\n", "ID", "STATE", "USER",
             "TARGET", "ACCOUNT", "CLIENT", "STARTED");
  for (const auto& s : sessions) {
    fmt::print("{:<36}  {:<10}  {:<16}  {:<16}  {:<16}  {:<15}  {}\n", s.value("id", ""),
               s.value("state", ""), s.value("user", ""), s.value("target", ""),
               s.value("account", ""), s.value("client", ""), s.value("started", ""));
  }
  return 0;
}

int kill_session(CliContext& ctx, const std::string& id, const std::string& message) {
  nlohmann::json request{{"cmd", "kill"}, {"id", id}};
  if (!message.empty()) request["message"] = message;
  auto answer = ask_gateway(*ctx.config(), request);
  if (!answer.value("ok", false))
    throw std::runtime_error(answer.value("error", "the gateway refused the request"));
  fmt::print("session {} terminated\n", answer.value("id", id));
  return 0;
}

}  // namespace

void register_session_commands(CLI::App& app, CliContext& ctx) {
  auto* session = app.add_subcommand("session", "List and terminate live sessions");
  session->require_subcommand(1);

  auto json = std::make_shared<bool>(false);
  auto* list = session->add_subcommand("list", "List the live sessions of the running gateway");
  list->add_flag("--json", *json, "Print JSON");
  list->callback([&ctx, json] { ctx.action = [&ctx, json] { return list_sessions(ctx, *json); }; });

  auto id = std::make_shared<std::string>();
  auto message = std::make_shared<std::string>();
  auto* kill = session->add_subcommand("kill", "Terminate a live session (the client is told why)");
  kill->add_option("id", *id, "The session id (or a unique prefix of at least 4 characters)")
      ->required();
  kill->add_option("--message", *message, "Why, for the log");
  kill->callback([&ctx, id, message] {
    ctx.action = [&ctx, id, message] { return kill_session(ctx, *id, *message); };
  });
}

}  // namespace rdpwarden::server::cli
