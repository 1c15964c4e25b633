#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "util/metrics.hpp"

using rdpwarden::server::util::MetricsRegistry;

TEST_CASE("renders the Prometheus text format", "[metrics]") {
  MetricsRegistry r;
  r.counter("rdpwarden_http_requests_total", "HTTP requests", {{"code", "200"}}).inc(3);
  r.counter("rdpwarden_http_requests_total", "HTTP requests", {{"code", "404"}}).inc();
  r.gauge("rdpwarden_sessions_active", "Sessions").set(2);
  r.gauge_callback("rdpwarden_things", "Things\nwith a newline", [] { return 7; });
  auto text = r.render();
  CHECK(text.find("# HELP rdpwarden_http_requests_total HTTP requests\n"
                  "# TYPE rdpwarden_http_requests_total counter\n"
                  "rdpwarden_http_requests_total{code=\"200\"} 3\n"
                  "rdpwarden_http_requests_total{code=\"404\"} 1\n") != std::string::npos);
  CHECK(text.find("# TYPE rdpwarden_sessions_active gauge\nrdpwarden_sessions_active 2\n") !=
        std::string::npos);
  CHECK(text.find("# HELP rdpwarden_things Things\\nwith a newline\n") != std::string::npos);
  CHECK(text.find("rdpwarden_things 7\n") != std::string::npos);
}

TEST_CASE("label values are escaped; bad names are refused", "[metrics]") {
  MetricsRegistry r;
  r.counter("x_total", "x", {{"path", "a\"b\\c\nd"}}).inc();
  CHECK(r.render().find("x_total{path=\"a\\\"b\\\\c\\nd\"} 1") != std::string::npos);
  CHECK_THROWS_AS(r.counter("1bad", "x"), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("bad-name", "x"), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("ok", "x", {{"bad label", "v"}}), std::invalid_argument);
  CHECK_THROWS_AS(r.gauge("x_total", "x"), std::invalid_argument);  // registered as a counter
}

TEST_CASE("the same series is returned on every lookup; updates are thread-safe", "[metrics]") {
  MetricsRegistry r;
  auto& a = r.counter("c_total", "c", {{"k", "v"}});
  auto& b = r.counter("c_total", "c", {{"k", "v"}});
  CHECK(&a == &b);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&r] {
      for (int i = 0; i < 10000; ++i)
        r.counter("c_total", "c", {{"k", "v"}}).inc();
    });
  for (auto& t : threads)
    t.join();
  CHECK(a.value() == 40000);
}
