#pragma once
// `rdpwarden serve`, `rdpwarden demo` and the hidden `rdpwarden worker` (one session, started by
// the supervisor with the client socket and a control channel as inherited descriptors).

namespace CLI {
class App;
}

namespace rdpwarden::server::cli {

class CliContext;
void register_serve_commands(CLI::App& app, CliContext& ctx);

}  // namespace rdpwarden::server::cli
