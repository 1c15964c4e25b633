#pragma once
// A bench-only timeline of what the worker does with a key press and the target's answer
// (tests/bench/gateway_latency_bench, RESULTS.md "Gateway", Run 4). When the environment names a
// file in RDPWARDEN_LATENCY_TRACE, each stage appends one line "stage nanoseconds thread" with
// steady_clock (CLOCK_MONOTONIC: the same clock in the bench, the flipper and the worker on one
// machine). Off unless that variable is set; it says when something happened, never what (no key
// codes, no pixels, no names), so nothing secret can reach the file.

namespace rdpwarden::server::rdp::latency_trace {

bool enabled() noexcept;
// Appends "stage <ns> <tid>"; does nothing when tracing is off.
void mark(const char* stage) noexcept;
// Appends one "socket" line per TCP socket of this process, with its TCP_NODELAY state, so that
// the trace shows whether either hop can be held back by Nagle's algorithm.
void mark_sockets() noexcept;

}  // namespace rdpwarden::server::rdp::latency_trace
