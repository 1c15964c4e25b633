#pragma once
// Processes a fixture did not start directly but must stop: daemons' children that may leave
// their parent's process group or outlive it (xrdp sessions: Xorg, the window manager,
// chansrv). Everything is found through /proc by parent PID and stopped by PID, never by name.

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rdpwarden::test {

// Every live descendant of `root` (children first, then theirs), read from /proc/*/stat.
std::vector<pid_t> descendants(pid_t root);

// /proc/<pid>/comm ("Xorg", "xterm"); empty when the process is gone.
std::string process_name(pid_t pid);

// True while `pid` exists and is not a zombie.
bool process_alive(pid_t pid);

// Makes this process the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER), so a daemon's
// children that lose their parent become ours to reap instead of PID 1's (which, on these
// machines, never reaps them).
void become_subreaper();

// SIGTERM to each, waits up to `grace` for all to exit, SIGKILL to the rest; then reaps those
// that are our children (including orphans handed to us as subreaper).
void terminate_processes(const std::vector<pid_t>& pids,
                         std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

}  // namespace rdpwarden::test
