#include "cli/session_commands.hpp"
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
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

// A connection to the running gateway's admin socket. Throws with a one-line reason.
class AdminClient {
 public:
  explicit AdminClient(const Config& config) {
    const auto path = (config.run_dir() / "admin.sock").string();
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path))
      throw std::runtime_error(fmt::format("the admin socket path is too long: {}", path));
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("cannot create a socket");
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
      throw std::runtime_error(fmt::format("the gateway is not running (no admin socket at {}: {})",
                                           path, std::strerror(errno)));
  }
  ~AdminClient() { ::close(fd_); }
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;

  // Sends one request and reads the answer line; bytes after it stay in leftover().
  nlohmann::json ask(const nlohmann::json& request) {
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    const std::string line = request.dump() + "\n";
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      throw std::runtime_error("cannot talk to the gateway");
    std::string data;
    char buffer[4096];
    std::size_t newline;
    while ((newline = data.find('\n')) == std::string::npos) {
      const ssize_t n = ::read(fd_, buffer, sizeof(buffer));
      if (n <= 0) throw std::runtime_error("the gateway sent no answer");
      data.append(buffer, static_cast<std::size_t>(n));
    }
    leftover_ = data.substr(newline + 1);
    auto parsed = nlohmann::json::parse(data.substr(0, newline), nullptr, false);
    if (!parsed.is_object()) throw std::runtime_error("the gateway sent no answer");
    if (!parsed.value("ok", false))
      throw std::runtime_error(parsed.value("error", "the gateway refused the request"));
    return parsed;
  }
  int fd() const { return fd_; }
  const std::string& leftover() const { return leftover_; }

 private:
  int fd_ = -1;
  std::string leftover_;
};

nlohmann::json ask_gateway(const Config& config, const nlohmann::json& request) {
  AdminClient client(config);
  return client.ask(request);
}

int list_sessions(CliContext& ctx, bool json) {
  auto answer = ask_gateway(*ctx.config(), {{"cmd", "list"}});
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
  fmt::print("session {} terminated\n", answer.value("id", id));
  return 0;
}

int control_session(CliContext& ctx, const std::string& cmd, const std::string& id,
                    const std::string& text) {
  nlohmann::json request{{"cmd", cmd}, {"id", id}};
  if (!text.empty()) request["text"] = text;
  auto answer = ask_gateway(*ctx.config(), request);
  fmt::print("session {}: {}\n", answer.value("id", id),
             cmd == "message"   ? "message shown"
             : cmd == "suspend" ? "suspended"
                                : "resumed");
  return 0;
}

// Copies the live view (fragmented MP4) into `output` for `seconds` (0: until the session ends).
int watch_session(CliContext& ctx, const std::string& id, const std::string& output, int seconds) {
  AdminClient client(*ctx.config());
  auto answer = client.ask({{"cmd", "watch"}, {"id", id}});
  std::ofstream out(output, std::ios::binary);
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", output));
  out << client.leftover();
  timeval slice{0, 200000};
  ::setsockopt(client.fd(), SOL_SOCKET, SO_RCVTIMEO, &slice, sizeof(slice));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  char buffer[65536];
  while (seconds == 0 || std::chrono::steady_clock::now() < until) {
    const ssize_t n = ::read(client.fd(), buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      break;
    }
    out.write(buffer, n);
  }
  out.flush();
  fmt::print("live view of session {} written to {}\n", answer.value("id", id), output);
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

  for (const char* verb : {"suspend", "resume"}) {
    auto target = std::make_shared<std::string>();
    auto* sub = session->add_subcommand(
        verb, std::string(verb) == "suspend"
                  ? "Hold a live session's input back from the target (the admin is told why)"
                  : "Let a suspended session's input reach the target again");
    sub->add_option("id", *target, "The session id (or a unique prefix)")->required();
    const std::string cmd = verb;
    sub->callback([&ctx, target, cmd] {
      ctx.action = [&ctx, target, cmd] { return control_session(ctx, cmd, *target, ""); };
    });
  }

  auto message_id = std::make_shared<std::string>();
  auto message_text = std::make_shared<std::string>();
  auto* say = session->add_subcommand("message", "Show a message to the admin in a live session");
  say->add_option("id", *message_id, "The session id (or a unique prefix)")->required();
  say->add_option("text", *message_text, "The message")->required();
  say->callback([&ctx, message_id, message_text] {
    ctx.action = [&ctx, message_id, message_text] {
      return control_session(ctx, "message", *message_id, *message_text);
    };
  });

  auto watch_id = std::make_shared<std::string>();
  auto watch_output = std::make_shared<std::string>();
  auto watch_seconds = std::make_shared<int>(0);
  auto* watch = session->add_subcommand(
      "watch", "Save a live session's screen as it happens (fragmented MP4, plays in mpv/ffplay)");
  watch->add_option("id", *watch_id, "The session id (or a unique prefix)")->required();
  watch->add_option("--output", *watch_output, "The file to write")->required();
  watch->add_option("--seconds", *watch_seconds, "Stop after this long (default: session end)");
  watch->callback([&ctx, watch_id, watch_output, watch_seconds] {
    ctx.action = [&ctx, watch_id, watch_output, watch_seconds] {
      return watch_session(ctx, *watch_id, *watch_output, *watch_seconds);
    };
  });
}

}  // namespace rdpwarden::server::cli
