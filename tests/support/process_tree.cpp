#include "support/process_tree.hpp"
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "support/process.hpp"

namespace rdpwarden::test {
namespace {

struct ProcStat {
  char state = '?';
  pid_t ppid = 0;
};

// /proc/<pid>/stat is "pid (comm) state ppid ...", where comm may contain spaces and parens.
ProcStat read_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  ProcStat s;
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 4 > line.size()) return s;
  s.state = line[close + 2];
  try {
    s.ppid = static_cast<pid_t>(std::stol(line.substr(close + 4)));
  } catch (const std::exception&) {
    s.ppid = 0;
  }
  return s;
}

void reap_if_child(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, WNOHANG);
}

}  // namespace

std::vector<pid_t> descendants(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc", ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    ProcStat s = read_stat(pid);
    if (s.state != 'Z' && s.state != '?') children.emplace(s.ppid, pid);
  }
  std::vector<pid_t> out;
  std::vector<pid_t> frontier = {root};
  while (!frontier.empty()) {
    std::vector<pid_t> next;
    for (pid_t parent : frontier) {
      auto [lo, hi] = children.equal_range(parent);
      for (auto it = lo; it != hi; ++it) {
        out.push_back(it->second);
        next.push_back(it->second);
      }
    }
    frontier = std::move(next);
  }
  return out;
}

std::string process_name(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

bool process_alive(pid_t pid) {
  char state = read_stat(pid).state;
  return state != '?' && state != 'Z';
}

void become_subreaper() {
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

void terminate_processes(const std::vector<pid_t>& pids, std::chrono::milliseconds grace) {
  for (pid_t pid : pids)
    kill(pid, SIGTERM);
  auto all_gone = [&] {
    bool gone = true;
    for (pid_t pid : pids) {
      reap_if_child(pid);
      gone = gone && !process_alive(pid);
    }
    return gone;
  };
  if (!wait_until(all_gone, grace)) {
    for (pid_t pid : pids)
      if (process_alive(pid)) kill(pid, SIGKILL);
    wait_until(all_gone, std::chrono::milliseconds(2000));
  }
}

}  // namespace rdpwarden::test
