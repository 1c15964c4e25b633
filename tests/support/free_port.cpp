#include "support/free_port.hpp"
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

#include "support/fixture_error.hpp"
#include "support/process.hpp"

namespace rdpwarden::test {
namespace {

sockaddr_in loopback(const std::string& host, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    throw FixtureError("not an IPv4 address: " + host);
  return addr;
}

// Socket addresses are C structs of different sizes passed through one pointer type.
const sockaddr* as_sockaddr(const sockaddr_in& addr) {
  return static_cast<const sockaddr*>(static_cast<const void*>(&addr));
}

// Socket inodes of TCP listeners on `port` from /proc/net/tcp{,6}: columns are
// "sl local_address rem_address st ... inode", addresses as HEXIP:HEXPORT, state 0A = LISTEN.
std::set<std::string> listening_inodes(std::uint16_t port) {
  std::set<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retr, uid, timeout, inode;
      fields >> sl >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >>
          inode;
      auto colon = local.rfind(':');
      if (colon == std::string::npos || state != "0A") continue;
      if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) inodes.insert(inode);
    }
  }
  return inodes;
}

}  // namespace

bool process_listens_on(pid_t pid, std::uint16_t port) {
  auto inodes = listening_inodes(port);
  if (inodes.empty()) return false;
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    auto target = std::filesystem::read_symlink(it->path(), ec);
    if (ec) {
      ec.clear();
      continue;
    }
    std::string t = target.string();
    if (t.rfind("socket:[", 0) == 0 && inodes.count(t.substr(8, t.size() - 9))) return true;
  }
  return false;
}

bool wait_for_listener(pid_t pid, std::uint16_t port, std::chrono::milliseconds timeout,
                       const std::function<bool()>& alive) {
  bool dead = false;
  bool found = wait_until(
      [&] {
        if (!alive()) return dead = true;
        return process_listens_on(pid, port);
      },
      timeout);
  return found && !dead;
}

std::uint16_t pick_free_tcp_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw FixtureError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr = loopback("127.0.0.1", 0);
  socklen_t len = sizeof addr;
  sockaddr_in bound{};
  bool ok = bind(fd, as_sockaddr(addr), sizeof addr) == 0 &&
            getsockname(fd, static_cast<sockaddr*>(static_cast<void*>(&bound)), &len) == 0;
  int err = errno;
  close(fd);
  if (!ok) throw FixtureError(std::string("cannot pick a free port: ") + std::strerror(err));
  return ntohs(bound.sin_port);
}

bool tcp_port_accepts(const std::string& host, std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr = loopback(host, port);
  bool ok = connect(fd, as_sockaddr(addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool wait_for_tcp_port(const std::string& host, std::uint16_t port,
                       std::chrono::milliseconds timeout, const std::function<bool()>& alive) {
  bool dead = false;
  wait_until(
      [&] {
        if (!alive()) {
          dead = true;
          return true;
        }
        return tcp_port_accepts(host, port);
      },
      timeout);
  return !dead && tcp_port_accepts(host, port);
}

}  // namespace rdpwarden::test
