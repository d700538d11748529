// The kubelet's /metrics/resource page (actors/http/kubelet_resource_metrics.*): the whole
// text for a small Summary, as upstream's registry prints it.
#include <catch2/catch.hpp>

#include "actors/http/kubelet_resource_metrics.hpp"

using namespace kactor;

TEST_CASE("resource metrics: upstream's families, labels, order and timestamps") {
  using namespace std::chrono;
  const TimePoint at = sys_days{year{2026} / January / 1} + milliseconds(250);
  kubelet::Summary s;
  s.node.cpu = {at, 250'000'000, 12'500'000'000};
  s.node.memory.time = at;
  s.node.memory.working_set_bytes = 1 << 30;
  auto pod = [&](const char* ns, const char* name, std::vector<const char*> containers) {
    kubelet::PodStats p;
    p.pod_ref = {name, ns, std::string("uid-") + name};
    for (const char* c : containers) {
      kubelet::ContainerStats cs;
      cs.name = c;
      cs.start_time = sys_days{year{2025} / December / 31};
      cs.cpu = {at, 1000, 500'000'000};
      cs.memory.time = at;
      cs.memory.working_set_bytes = 2 << 20;
      p.containers.push_back(cs);
    }
    p.cpu = {at, 2000, 1'000'000'000};
    p.memory.time = at;
    p.memory.working_set_bytes = 4 << 20;
    return p;
  };
  // Out of order on purpose: the page sorts series by their labels.
  s.pods = {pod("default", "web", {"sidecar", "app"}), pod("apps", "db", {"db"})};
  // A container whose memory was not sampled has no memory series.
  s.pods[1].containers[0].memory.working_set_bytes.reset();

  const std::string ts = " 1767225600250";
  const std::string expected =
      "# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the "
      "container in core-seconds\n"
      "# TYPE container_cpu_usage_seconds_total counter\n"
      "container_cpu_usage_seconds_total{container=\"app\",namespace=\"default\",pod=\"web\"} 0.5" + ts + "\n"
      "container_cpu_usage_seconds_total{container=\"db\",namespace=\"apps\",pod=\"db\"} 0.5" + ts + "\n"
      "container_cpu_usage_seconds_total{container=\"sidecar\",namespace=\"default\",pod=\"web\"} 0.5" + ts + "\n"
      "# HELP container_memory_working_set_bytes [STABLE] Current working set of the container "
      "in bytes\n"
      "# TYPE container_memory_working_set_bytes gauge\n"
      "container_memory_working_set_bytes{container=\"app\",namespace=\"default\",pod=\"web\"} 2097152" + ts + "\n"
      "container_memory_working_set_bytes{container=\"sidecar\",namespace=\"default\",pod=\"web\"} 2097152" + ts + "\n"
      "# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch "
      "in seconds\n"
      "# TYPE container_start_time_seconds gauge\n"
      "container_start_time_seconds{container=\"app\",namespace=\"default\",pod=\"web\"} 1767139200\n"
      "container_start_time_seconds{container=\"db\",namespace=\"apps\",pod=\"db\"} 1767139200\n"
      "container_start_time_seconds{container=\"sidecar\",namespace=\"default\",pod=\"web\"} 1767139200\n"
      "# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in "
      "core-seconds\n"
      "# TYPE node_cpu_usage_seconds_total counter\n"
      "node_cpu_usage_seconds_total 12.5" + ts + "\n"
      "# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes\n"
      "# TYPE node_memory_working_set_bytes gauge\n"
      "node_memory_working_set_bytes 1073741824" + ts + "\n"
      "# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in "
      "core-seconds\n"
      "# TYPE pod_cpu_usage_seconds_total counter\n"
      "pod_cpu_usage_seconds_total{namespace=\"apps\",pod=\"db\"} 1" + ts + "\n"
      "pod_cpu_usage_seconds_total{namespace=\"default\",pod=\"web\"} 1" + ts + "\n"
      "# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes\n"
      "# TYPE pod_memory_working_set_bytes gauge\n"
      "pod_memory_working_set_bytes{namespace=\"apps\",pod=\"db\"} 4194304" + ts + "\n"
      "pod_memory_working_set_bytes{namespace=\"default\",pod=\"web\"} 4194304" + ts + "\n"
      "# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container "
      "metrics, 0 otherwise\n"
      "# TYPE resource_scrape_error gauge\n"
      "resource_scrape_error 0\n"
      "# HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while "
      "getting container metrics, 0 otherwise\n"
      "# TYPE scrape_error gauge\n"
      "scrape_error 0\n";
  CHECK(http::resource_metrics_text(s) == expected);
}

TEST_CASE("resource metrics: no summary is scrape_error 1 and nothing else") {
  auto page = http::resource_metrics_text(
      api::fail(api::Status{503, "ServiceUnavailable", "down", {}}));
  CHECK(page ==
        "# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container "
        "metrics, 0 otherwise\n"
        "# TYPE resource_scrape_error gauge\n"
        "resource_scrape_error 1\n"
        "# HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while "
        "getting container metrics, 0 otherwise\n"
        "# TYPE scrape_error gauge\n"
        "scrape_error 1\n");
}
