#include "actors/http/kubelet_resource_metrics.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "telemetry/registry.hpp"

namespace kactor::http {
namespace {

/// One family: its HELP (with upstream's stability prefix), TYPE and samples.
struct Family {
  const char* help;
  const char* type;
  /// Rendered label text → "value[ timestamp]".
  std::vector<std::pair<std::string, std::string>> samples;
};

/// Builds the page family by family; families print sorted by name, samples by labels, as
/// upstream's registry gathers them.
class Page {
 public:
  void declare(const char* name, const char* help, const char* type) {
    families_.emplace(name, Family{help, type, {}});
  }
  void add(const char* name, const telemetry::Labels& labels, double value,
           std::optional<TimePoint> at = std::nullopt) {
    auto text = fmt::format("{}", value);
    if (at) {
      const auto ms = std::chrono::floor<std::chrono::milliseconds>(*at).time_since_epoch();
      text += fmt::format(" {}", ms.count());
    }
    families_.at(name).samples.emplace_back(telemetry::label_text(labels), std::move(text));
  }
  std::string render() {
    std::string out;
    for (auto& [name, f] : families_) {
      if (f.samples.empty()) continue;  // as upstream: a family without samples is not shown
      std::stable_sort(f.samples.begin(), f.samples.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, f.type);
      for (const auto& [labels, value] : f.samples)
        out += labels.empty() ? fmt::format("{} {}\n", name, value)
                              : fmt::format("{}{{{}}} {}\n", name, labels, value);
    }
    return out;
  }

 private:
  std::map<std::string, Family> families_;
};

constexpr const char* kNodeCpu = "node_cpu_usage_seconds_total";
constexpr const char* kNodeMemory = "node_memory_working_set_bytes";
constexpr const char* kContainerCpu = "container_cpu_usage_seconds_total";
constexpr const char* kContainerMemory = "container_memory_working_set_bytes";
constexpr const char* kContainerStart = "container_start_time_seconds";
constexpr const char* kPodCpu = "pod_cpu_usage_seconds_total";
constexpr const char* kPodMemory = "pod_memory_working_set_bytes";
constexpr const char* kScrapeError = "scrape_error";
constexpr const char* kResourceScrapeError = "resource_scrape_error";

/// Core-seconds of cumulative core-nanoseconds.
double seconds(uint64_t core_nano_seconds) { return static_cast<double>(core_nano_seconds) / 1e9; }

/// The sample time of a statistic, when the kubelet stamped one.
std::optional<TimePoint> stamp(TimePoint t) {
  if (t == TimePoint{}) return std::nullopt;
  return t;
}

void add_cpu(Page& page, const char* name, const telemetry::Labels& labels,
             const kubelet::CpuStats& cpu) {
  if (cpu.usage_core_nano_seconds)
    page.add(name, labels, seconds(*cpu.usage_core_nano_seconds), stamp(cpu.time));
}

void add_memory(Page& page, const char* name, const telemetry::Labels& labels,
                const kubelet::MemoryStats& memory) {
  if (memory.working_set_bytes)
    page.add(name, labels, static_cast<double>(*memory.working_set_bytes), stamp(memory.time));
}

}  // namespace

std::string resource_metrics_text(const api::Result<kubelet::Summary>& summary) {
  Page page;
  page.declare(kNodeCpu, "[STABLE] Cumulative cpu time consumed by the node in core-seconds",
               "counter");
  page.declare(kNodeMemory, "[STABLE] Current working set of the node in bytes", "gauge");
  page.declare(kContainerCpu,
               "[STABLE] Cumulative cpu time consumed by the container in core-seconds",
               "counter");
  page.declare(kContainerMemory, "[STABLE] Current working set of the container in bytes",
               "gauge");
  page.declare(kContainerStart,
               "[STABLE] Start time of the container since unix epoch in seconds", "gauge");
  page.declare(kPodCpu, "[STABLE] Cumulative cpu time consumed by the pod in core-seconds",
               "counter");
  page.declare(kPodMemory, "[STABLE] Current working set of the pod in bytes", "gauge");
  page.declare(kScrapeError,
               "[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting "
               "container metrics, 0 otherwise",
               "gauge");
  page.declare(kResourceScrapeError,
               "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise",
               "gauge");
  const double error = summary ? 0 : 1;
  page.add(kScrapeError, {}, error);
  page.add(kResourceScrapeError, {}, error);
  if (!summary) return page.render();

  add_cpu(page, kNodeCpu, {}, summary->node.cpu);
  add_memory(page, kNodeMemory, {}, summary->node.memory);
  for (const auto& pod : summary->pods) {
    const telemetry::Labels pod_labels = {{"namespace", pod.pod_ref.namespace_},
                                          {"pod", pod.pod_ref.name}};
    for (const auto& c : pod.containers) {
      auto labels = pod_labels;
      labels.emplace_back("container", c.name);
      if (c.start_time > TimePoint{})
        page.add(kContainerStart, labels,
                 std::chrono::duration<double>(c.start_time.time_since_epoch()).count());
      add_cpu(page, kContainerCpu, labels, c.cpu);
      add_memory(page, kContainerMemory, labels, c.memory);
    }
    add_cpu(page, kPodCpu, pod_labels, pod.cpu);
    add_memory(page, kPodMemory, pod_labels, pod.memory);
  }
  return page.render();
}

}  // namespace kactor::http
