#pragma once
// Free loopback TCP ports for components that cannot bind port 0 themselves and report it.
// A port picked here is free only "a moment ago": other engineers' tests run concurrently, so a
// fixture that starts a server on it must detect a lost race (the server fails to bind or the
// port belongs to someone else) and retry with a fresh port.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <sys/types.h>

namespace rdpwarden::test {

// Binds 127.0.0.1:0, reads the port the kernel chose and releases it. Throws FixtureError.
std::uint16_t pick_free_tcp_port();

// True when a TCP connection to host:port succeeds right now.
bool tcp_port_accepts(const std::string& host, std::uint16_t port);

// Polls until host:port accepts, `alive()` turns false (the server died: stop waiting), or the
// timeout passes. Returns true only when the port accepts.
bool wait_for_tcp_port(
    const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout,
    const std::function<bool()>& alive = [] { return true; });

// True when process `pid` itself holds a listening TCP socket (IPv4 or IPv6) on `port`, read
// from /proc without connecting. Unlike a probe connection this tells our server from another
// test's server that won the race for the same port, and it does not disturb servers that
// treat every accepted connection as a session.
bool process_listens_on(pid_t pid, std::uint16_t port);

// Polls process_listens_on until true, `alive()` turns false, or the timeout passes.
bool wait_for_listener(
    pid_t pid, std::uint16_t port, std::chrono::milliseconds timeout,
    const std::function<bool()>& alive = [] { return true; });

}  // namespace rdpwarden::test
