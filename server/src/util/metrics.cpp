#include "util/metrics.hpp"
#include <stdexcept>

#include <fmt/format.h>

namespace rdpwarden::server::util {
namespace {

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Label values and help text may hold anything; the exposition format escapes \ " and newline.
std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string label_key(const MetricLabels& labels) {
  std::string key;
  for (const auto& [name, value] : labels) {
    if (!valid_name(name, false) || name.starts_with("__"))
      throw std::invalid_argument(fmt::format("metrics: bad label name '{}'", name));
    key += fmt::format("{}{}=\"{}\"", key.empty() ? "" : ",", name, escape(value, true));
  }
  return key;
}

}  // namespace

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 Type type) {
  if (!valid_name(name, true))
    throw std::invalid_argument(fmt::format("metrics: bad metric name '{}'", name));
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{type, std::string(help), {}, {}, {}}).first;
  } else if (it->second.type != type) {
    throw std::invalid_argument(fmt::format("metrics: '{}' registered with another type", name));
  }
  return it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const MetricLabels& labels) {
  auto key = label_key(labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::counter).counters[key];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                              const MetricLabels& labels) {
  auto key = label_key(labels);
  std::lock_guard lock(mutex_);
  auto& fam = family(name, help, Type::gauge);
  if (fam.callback)
    throw std::invalid_argument(fmt::format("metrics: '{}' is a callback gauge", name));
  auto& slot = fam.gauges[key];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

void MetricsRegistry::gauge_callback(std::string_view name, std::string_view help,
                                     std::function<std::int64_t()> read) {
  std::lock_guard lock(mutex_);
  auto& fam = family(name, help, Type::gauge);
  if (!fam.gauges.empty())
    throw std::invalid_argument(fmt::format("metrics: '{}' already has set gauges", name));
  fam.callback = std::move(read);
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape(fam.help, false), name,
                       fam.type == Type::counter ? "counter" : "gauge");
    auto line = [&](const std::string& labels, std::int64_t value) {
      out += labels.empty() ? fmt::format("{} {}\n", name, value)
                            : fmt::format("{}{{{}}} {}\n", name, labels, value);
    };
    if (fam.callback) line("", fam.callback());
    for (const auto& [labels, c] : fam.counters)
      line(labels, c->value());
    for (const auto& [labels, g] : fam.gauges)
      line(labels, g->value());
  }
  return out;
}

MetricsRegistry& process_metrics() {
  static MetricsRegistry registry;
  return registry;
}

}  // namespace rdpwarden::server::util
