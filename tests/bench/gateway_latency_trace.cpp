#include "gateway_latency_trace.hpp"
#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace rdpwarden::test {
namespace {

// The first time of `stage` at or after `t`, or 0.
long long first_after(const std::vector<long long>& times, long long t) {
  const auto it = std::lower_bound(times.begin(), times.end(), t);
  return it == times.end() ? 0 : *it;
}

// The last time of `stage` at or before `t`, or 0.
long long last_before(const std::vector<long long>& times, long long t) {
  auto it = std::upper_bound(times.begin(), times.end(), t);
  return it == times.begin() ? 0 : *--it;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))];
}

}  // namespace

void LatencyTrace::clear() const {
  std::ofstream(path_, std::ios::trunc);
}

LatencyTrace::Stages LatencyTrace::read() {
  Stages out;
  std::ifstream in(path_);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string stage;
    long long ns = 0;
    if (!(fields >> stage >> ns)) continue;
    out[stage].push_back(ns);
    std::string rest;
    std::getline(fields >> std::ws, rest);
    // The worker's TCP sockets and their TCP_NODELAY (ports differ per block: keep one each).
    if (stage == "socket" && std::find(sockets_.begin(), sockets_.end(), rest) == sockets_.end())
      sockets_.push_back(rest);
  }
  for (auto& [stage, times] : out)
    std::sort(times.begin(), times.end());
  return out;
}

std::vector<long long> LatencyTrace::times(const std::string& stage) {
  auto all = read();
  return std::move(all[stage]);
}

void LatencyTrace::add(bool through, int order, const std::string& stage, long long from,
                       long long to) {
  if (from == 0 || to == 0 || to < from) return;
  stages_[through ? "gateway" : "direct"][fmt::format("{:02} {}", order, stage)].push_back(
      static_cast<double>(to - from) / 1e6);
}

void LatencyTrace::collect(const std::vector<TracedEvent>& events, bool through) {
  const auto s = read();
  // Every block's raw lines, with the bench's own times, stay in FILE.all for a closer look.
  std::ofstream all(path_ + ".all", std::ios::app);
  all << "block " << (through ? "gateway" : "direct") << "\n" << std::ifstream(path_).rdbuf();
  for (const auto& e : events)
    all << "injected " << e.injected_ns << " 0\nseen " << e.seen_ns << " 0\n";
  const auto times = [&](const char* stage) -> const std::vector<long long>& {
    static const std::vector<long long> none;
    const auto it = s.find(stage);
    return it == s.end() ? none : it->second;
  };
  for (const auto& e : events) {
    const auto within = [&](long long t) { return t && t <= e.seen_ns ? t : 0; };
    const long long x_key = within(first_after(times("x-key"), e.injected_ns));
    const long long x_drawn = x_key ? within(first_after(times("x-drawn"), x_key)) : 0;
    if (!x_drawn) continue;
    add(through, 0, "total: inject -> pixel seen", e.injected_ns, e.seen_ns);
    add(through, 1, "input: inject -> key at target X", e.injected_ns, x_key);
    add(through, 7, "flipper: key -> flip drawn", x_key, x_drawn);
    add(through, 8, "output: flip drawn -> pixel seen", x_drawn, e.seen_ns);
    if (!through) continue;
    const long long key = within(first_after(times("key"), e.injected_ns));
    const long long key_sent = key ? within(first_after(times("key-sent"), key)) : 0;
    add(through, 2, "  client -> worker key callback", e.injected_ns, key);
    add(through, 3, "  worker: key handed to target conn", key, key_sent);
    add(through, 4, "  key sent -> key at target X", key_sent, x_key);
    // The target's answer: the first paint after the flip was drawn, the wake that carried it.
    const long long painted = within(first_after(times("painted"), x_drawn));
    if (!painted) continue;
    const long long end_paint = last_before(times("end-paint"), painted);
    const long long begin_paint = last_before(times("begin-paint"), end_paint);
    const long long target_wake = last_before(times("target-wake"), begin_paint);
    const long long encode = within(first_after(times("encode"), painted));
    const long long sent = encode ? within(first_after(times("sent"), encode)) : 0;
    const long long peer_wake = last_before(times("peer-wake"), encode);
    add(through, 10, "  flip drawn -> target update at worker", x_drawn,
        target_wake >= x_drawn ? target_wake : 0);
    add(through, 11, "  worker wake -> BeginPaint", target_wake, begin_paint);
    add(through, 12, "  BeginPaint -> EndPaint (decode)", begin_paint, end_paint);
    add(through, 13, "  EndPaint -> painted (composite)", end_paint, painted);
    add(through, 14, "  painted -> peer thread awake", painted,
        peer_wake >= painted ? peer_wake : 0);
    add(through, 15, "  painted -> encode start", painted, encode);
    add(through, 16, "  encode + write to client", encode, sent);
    add(through, 17, "  written -> pixel seen by bench", sent, e.seen_ns);
    add(through, 18, "  relay: painted -> written", painted, sent);
  }
}

void LatencyTrace::print() const {
  for (const auto& [path, stages] : stages_) {
    fmt::print("trace, {}: stage{:>34} n    p50 ms   p90 ms\n", path, "");
    for (const auto& [name, ms] : stages)
      fmt::print("  {:<45} {:4} {:8.1f} {:8.1f}\n", name.substr(3), ms.size(), percentile(ms, 0.5),
                 percentile(ms, 0.9));
  }
  for (const auto& socket : sockets_)
    fmt::print("trace: worker socket {}\n", socket);
}

}  // namespace rdpwarden::test
