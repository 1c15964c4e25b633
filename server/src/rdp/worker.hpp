#pragma once
// One session worker process: the admin's accepted socket and a control channel in, one RDP
// session relayed and recorded, its end reported. Started by the supervisor as the hidden
// `rdpwarden worker` verb; no secret ever appears on its command line.

namespace rdpwarden::server::rdp {

// Runs the whole session; returns the process exit code (0 when the session ran and ended,
// whatever the reason; 1 when the worker could not start it).
int run_worker(int client_fd, int control_fd);

}  // namespace rdpwarden::server::rdp
