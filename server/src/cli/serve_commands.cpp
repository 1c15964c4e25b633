#include "cli/serve_commands.hpp"
#include <fcntl.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_context.hpp"
#include "rdp/worker.hpp"

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

}  // namespace

void register_serve_commands(CLI::App& app, CliContext& ctx) {
  register_worker(app, ctx);
}

}  // namespace rdpwarden::server::cli
