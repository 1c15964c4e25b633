#pragma once
// `rdpwarden session list` and `rdpwarden session kill ID`: talk to the running gateway over
// its admin socket (<data-dir>/run/admin.sock).

namespace CLI {
class App;
}

namespace rdpwarden::server::cli {

class CliContext;
void register_session_commands(CLI::App& app, CliContext& ctx);

}  // namespace rdpwarden::server::cli
