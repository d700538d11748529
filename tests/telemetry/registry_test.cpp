#include "telemetry/registry.hpp"

#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using namespace kactor::telemetry;

namespace {

/// Every line is a comment (# HELP / # TYPE) or `name{labels} value` as the Prometheus text
/// format (0.0.4) has them.
bool valid_exposition(const std::string& text) {
  static const std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex sample(
      R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN))re");
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!std::regex_match(line, line.starts_with("#") ? comment : sample)) {
      UNSCOPED_INFO("bad line: " << line);
      return false;
    }
  }
  return true;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("registry: counters and gauges render with sorted, escaped labels") {
  Registry r;
  auto& c = r.counter("things_total", "Things done.", {{"b", "2"}, {"a", "x\"y"}});
  c.inc();
  c.inc(2);
  auto& g = r.gauge("depth", "How deep.", {{"name", "q"}});
  g.add(5);
  g.add(-2);
  REQUIRE(&r.counter("things_total", "Things done.", {{"a", "x\"y"}, {"b", "2"}}) == &c);
  auto text = r.render();
  CHECK(contains(text, "# HELP things_total Things done.\n# TYPE things_total counter\n"));
  CHECK(contains(text, "things_total{a=\"x\\\"y\",b=\"2\"} 3\n"));
  CHECK(contains(text, "# TYPE depth gauge\ndepth{name=\"q\"} 3\n"));
  CHECK(valid_exposition(text));
}

TEST_CASE("registry: a histogram renders cumulative buckets, +Inf, sum and count") {
  Registry r;
  auto& h = r.histogram("latency_seconds", "Latency.", {0.1, 1, 10}, {{"op", "w"}});
  h.observe(0.05);
  h.observe(0.1);  // on a bound: counted in it ("le")
  h.observe(3);
  h.observe(100);
  auto text = r.render();
  CHECK(contains(text, "latency_seconds_bucket{op=\"w\",le=\"0.1\"} 2\n"));
  CHECK(contains(text, "latency_seconds_bucket{op=\"w\",le=\"1\"} 2\n"));
  CHECK(contains(text, "latency_seconds_bucket{op=\"w\",le=\"10\"} 3\n"));
  CHECK(contains(text, "latency_seconds_bucket{op=\"w\",le=\"+Inf\"} 4\n"));
  CHECK(contains(text, "latency_seconds_sum{op=\"w\"} 103.15\n"));
  CHECK(contains(text, "latency_seconds_count{op=\"w\"} 4\n"));
  CHECK(valid_exposition(text));
}

TEST_CASE("registry: a name is one kind of metric with one set of buckets") {
  Registry r;
  r.counter("x_total", "X.");
  CHECK_THROWS_AS(r.gauge("x_total", "X."), std::logic_error);
  r.histogram("h_seconds", "H.", {1, 2});
  CHECK_THROWS_AS(r.histogram("h_seconds", "H.", {1, 3}), std::logic_error);
  CHECK_THROWS_AS(r.histogram("bad_seconds", "B.", {2, 1}), std::logic_error);
}

TEST_CASE("registry: updates from many threads are all counted") {
  Registry r;
  auto& c = r.counter("n_total", "N.");
  auto& g = r.gauge("g", "G.");
  auto& h = r.histogram("h", "H.", exponential_buckets(0.001, 2, 15));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        g.add(1);
        h.observe(0.5);
      }
    });
  for (auto& t : threads) t.join();
  CHECK(c.value() == 40000);
  CHECK(g.value() == 40000);
  auto s = h.snapshot();
  CHECK(s.count == 40000);
  CHECK(s.sum == Approx(20000));
}

TEST_CASE("registry: exponential buckets as upstream's") {
  auto b = exponential_buckets(0.001, 2, 15);
  REQUIRE(b.size() == 15);
  CHECK(b.front() == 0.001);
  CHECK(b.back() == Approx(16.384));
}
