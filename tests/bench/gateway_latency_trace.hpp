#pragma once
// The per-stage breakdown of the gateway latency bench: the bench's own injection and "pixel
// seen" times, the flipper's (key arrived at the target's X server, flip drawn) and the
// gateway worker's (key from the client, key sent on, target update woke the target thread,
// painted into our framebuffer, encoded, written to the client), all CLOCK_MONOTONIC
// nanoseconds in one file named by RDPWARDEN_LATENCY_TRACE (lines "stage ns thread").
#include <map>
#include <string>
#include <vector>

namespace rdpwarden::test {

struct TracedEvent {
  long long injected_ns = 0;
  long long seen_ns = 0;
};

class LatencyTrace {
 public:
  explicit LatencyTrace(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }
  // Empties the file (before a block).
  void clear() const;
  // Reads the file and splits each event of the block into stages (after a block).
  void collect(const std::vector<TracedEvent>& events, bool through_gateway);
  // p50/p90 per stage, per path.
  void print() const;
  // The times (ns, sorted) one stage was reached since the last clear(), e.g. "x-key".
  std::vector<long long> times(const std::string& stage);

 private:
  using Stages = std::map<std::string, std::vector<long long>>;
  Stages read();
  void add(bool through, int order, const std::string& stage, long long from, long long to);

  std::string path_;
  // path ("direct"/"gateway") -> "NN stage" -> durations (ns)
  std::map<std::string, std::map<std::string, std::vector<double>>> stages_;
  std::vector<std::string> sockets_;
};

}  // namespace rdpwarden::test
