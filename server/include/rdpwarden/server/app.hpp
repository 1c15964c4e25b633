#pragma once

namespace rdpwarden::server {

// The `rdpwarden` command line. Returns the process exit code: 0 success, 1 runtime failure,
// 2 usage or configuration error.
int run_cli(int argc, char** argv);

}  // namespace rdpwarden::server
