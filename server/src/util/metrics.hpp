#pragma once
// A small thread-safe Prometheus registry shared by the supervisor's components (web console,
// gateway, recorder observers). Series are created once (get-or-create by name + labels) and
// then updated lock-free through the returned reference, which stays valid for the registry's
// life. render() produces the text exposition format (version 0.0.4) for GET /metrics.
//
// Threading: every method may be called from any thread. Counter/Gauge updates are atomics;
// creation and rendering take the registry's mutex.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rdpwarden::server::util {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Names every component agrees on, so a series fed by one stream and read by another match.
namespace metric {
inline constexpr std::string_view kSessionsActive = "rdpwarden_sessions_active";
inline constexpr std::string_view kRecordedBytes = "rdpwarden_recorded_bytes_total";
inline constexpr std::string_view kEncoderQueueDepth = "rdpwarden_encoder_queue_depth";
inline constexpr std::string_view kHttpRequests = "rdpwarden_http_requests_total";
}  // namespace metric

class Counter {
 public:
  void inc(std::int64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t by) { value_.fetch_add(by, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Get-or-create. Throws std::invalid_argument for a malformed name or label name, or when the
  // name is already registered with another type (a programming error, found at start-up).
  Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  // A gauge read at render time (e.g. the size of a registry someone else owns). `read` runs
  // under the registry's mutex: it must be quick and must not call back into the registry.
  void gauge_callback(std::string_view name, std::string_view help,
                      std::function<std::int64_t()> read);

  std::string render() const;

 private:
  enum class Type { counter, gauge };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // key: rendered label set
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::function<std::int64_t()> callback;
  };
  Family& family(std::string_view name, std::string_view help, Type type);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

// The supervisor's registry. Components that are not handed one explicitly use this.
MetricsRegistry& process_metrics();

}  // namespace rdpwarden::server::util
