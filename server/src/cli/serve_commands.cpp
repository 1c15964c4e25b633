#include "cli/serve_commands.hpp"
#include <cstdio>
#include <fcntl.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_context.hpp"
#include "rdp/worker.hpp"
#include "supervisor/demo_setup.hpp"
#include "supervisor/demo_target.hpp"
#include "supervisor/gateway_host.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::cli {
namespace {

bool is_open_fd(int fd) {
  return fd >= 0 && ::fcntl(fd, F_GETFD) >= 0;
}

void register_worker(CLI::App& app, CliContext& ctx) {
  struct Options {
    int client_fd = -1;
    int control_fd = -1;
    std::string session;
  };
  auto options = std::make_shared<Options>();
  auto* worker = app.add_subcommand("worker", "Run one session (started by the supervisor)");
  worker->group("");  // hidden: not for people
  worker->add_option("--client-fd", options->client_fd)->required();
  worker->add_option("--control-fd", options->control_fd)->required();
  worker->add_option("--session", options->session);
  worker->callback([&ctx, options] {
    ctx.action = [options] {
      if (!is_open_fd(options->client_fd) || !is_open_fd(options->control_fd))
        throw UsageError("worker: the descriptors it needs are not open (started by hand?)");
      return rdp::run_worker(options->client_fd, options->control_fd);
    };
  });
}

int serve(CliContext& ctx) {
  auto config = ctx.config();
  log::set_level(config->log.level);
  supervisor::GatewayHost host(config);
  host.start();
  host.run();
  return 0;
}

// What to type, printed once to the terminal (never to the log: it holds passwords). The
// password stands on a line of its own, never on a command line (shell history, argv):
// xfreerdp's /from-stdin asks for it.
void print_demo_instructions(const supervisor::GatewayHost& host, const Config& config,
                             const supervisor::DemoLogins& logins) {
  const auto& rdp = config.rdp.listen.host;
  const std::string user = logins.admin_user + "#" + logins.target;
  fmt::print(
      "\nrdpwarden demo is running (Ctrl-C stops everything it started).\n\n"
      "Demo admin: user {}, password {}\n\n"
      "Connect with xfreerdp (type or paste the password at its prompt):\n"
      "  xfreerdp /v:{}:{} /u:'{}' /from-stdin:force /cert:ignore\n\n"
      "Connect with mstsc: Computer {}:{}, Show Options, User name {}, the password above\n"
      "  (accept the gateway's certificate {})\n\n"
      "Auditor console: https://{}:{}/  user {}, password {}\n"
      "  (self-signed certificate: accept it once in the browser)\n\n",
      user, logins.admin_password.view(), rdp, host.rdp_port(), user, rdp, host.rdp_port(), user,
      host.rdp_fingerprint(), config.web.listen.host, host.web_port(), logins.auditor_user,
      logins.auditor_password.view());
  std::fflush(stdout);
}

int demo(CliContext& ctx) {
  auto config = ctx.config();
  log::set_level(config->log.level);
  supervisor::DemoTarget target(config->data_dir / "demo", 1280, 800);
  log::info("demo target: Xvfb {} served by freerdp-shadow-cli on 127.0.0.1:{}", target.display(),
            target.port());
  supervisor::GatewayHost host(config);
  {
    auto logins = supervisor::prepare_demo(*host.database().pool().acquire(), target.port());
    host.start();
    print_demo_instructions(host, *config, logins);
  }  // the passwords are wiped here
  host.run();
  return 0;
}

}  // namespace

void register_serve_commands(CLI::App& app, CliContext& ctx) {
  register_worker(app, ctx);
  auto* serve_cmd = app.add_subcommand(
      "serve", "Run the gateway: RDP on rdp.listen, the auditor console on web.listen");
  serve_cmd->callback([&ctx] { ctx.action = [&ctx] { return serve(ctx); }; });
  auto* demo_cmd = app.add_subcommand(
      "demo",
      "Run the gateway with a demo target desktop, a demo admin and an auditor (prints how to "
      "connect)");
  demo_cmd->callback([&ctx] { ctx.action = [&ctx] { return demo(ctx); }; });
}

}  // namespace rdpwarden::server::cli
