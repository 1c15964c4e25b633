#include "rdp/latency_trace.hpp"
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rdpwarden::server::rdp::latency_trace {
namespace {

int trace_fd() noexcept {
  // Opened once; O_APPEND makes each line one atomic write next to the bench's other writers.
  static const int fd = [] {
    const char* path = std::getenv("RDPWARDEN_LATENCY_TRACE");
    if (!path || !*path) return -1;
    return ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  }();
  return fd;
}

long long now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void append(const char* line, int length) noexcept {
  if (length > 0) (void)!::write(trace_fd(), line, static_cast<std::size_t>(length));
}

}  // namespace

bool enabled() noexcept {
  return trace_fd() >= 0;
}

void mark(const char* stage) noexcept {
  if (!enabled()) return;
  char line[128];
  append(line, std::snprintf(line, sizeof(line), "%s %lld %d\n", stage, now_ns(),
                             static_cast<int>(::gettid())));
}

void mark_sockets() noexcept {
  if (!enabled()) return;
  // Never throws (this runs inside a FreeRDP callback): error codes, no range-for increments.
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    const int fd = std::atoi(it->path().filename().c_str());
    if (fd <= 0 && it->path().filename() != "0") continue;
    int type = 0;
    socklen_t length = sizeof(type);
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM) continue;
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof(peer);
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0 ||
        (peer.ss_family != AF_INET && peer.ss_family != AF_INET6))
      continue;
    int nodelay = -1;
    length = sizeof(nodelay);
    (void)::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &length);
    const int port = peer.ss_family == AF_INET
                         ? ntohs(reinterpret_cast<sockaddr_in*>(&peer)->sin_port)
                         : ntohs(reinterpret_cast<sockaddr_in6*>(&peer)->sin6_port);
    char line[128];
    append(line, std::snprintf(line, sizeof(line), "socket %lld fd=%d peer-port=%d nodelay=%d\n",
                               now_ns(), fd, port, nodelay));
  }
}

}  // namespace rdpwarden::server::rdp::latency_trace
