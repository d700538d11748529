#include "actors/http/stats_summary.hpp"

#include "actors/http/response.hpp"
#include "api/time/rfc3339.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace kactor::http {
namespace {

using nlohmann::ordered_json;

void put(ordered_json& j, const char* key, const std::optional<uint64_t>& v) {
  if (v) j[key] = *v;
}

/// metav1.Time: RFC 3339 seconds; an unset (zero) time is left out, as upstream's omitempty
/// leaves a nil *Time.
void put_time(ordered_json& j, const char* key, TimePoint t) {
  if (t != TimePoint{}) j[key] = format_rfc3339(t);
}

ordered_json cpu_json(const kubelet::CpuStats& s) {
  ordered_json j = ordered_json::object();
  put_time(j, "time", s.time);
  put(j, "usageNanoCores", s.usage_nano_cores);
  put(j, "usageCoreNanoSeconds", s.usage_core_nano_seconds);
  return j;
}

ordered_json memory_json(const kubelet::MemoryStats& s) {
  ordered_json j = ordered_json::object();
  put_time(j, "time", s.time);
  put(j, "availableBytes", s.available_bytes);
  put(j, "usageBytes", s.usage_bytes);
  put(j, "workingSetBytes", s.working_set_bytes);
  put(j, "rssBytes", s.rss_bytes);
  put(j, "pageFaults", s.page_faults);
  put(j, "majorPageFaults", s.major_page_faults);
  return j;
}

ordered_json fs_json(const kubelet::FsStats& s) {
  ordered_json j = ordered_json::object();
  put_time(j, "time", s.time);
  put(j, "availableBytes", s.available_bytes);
  put(j, "capacityBytes", s.capacity_bytes);
  put(j, "usedBytes", s.used_bytes);
  put(j, "inodesFree", s.inodes_free);
  put(j, "inodes", s.inodes);
  put(j, "inodesUsed", s.inodes_used);
  return j;
}

ordered_json container_json(const kubelet::ContainerStats& c) {
  ordered_json j = {{"name", c.name}};
  put_time(j, "startTime", c.start_time);
  j["cpu"] = cpu_json(c.cpu);
  j["memory"] = memory_json(c.memory);
  if (c.rootfs) j["rootfs"] = fs_json(*c.rootfs);
  if (c.logs) j["logs"] = fs_json(*c.logs);
  return j;
}

using nlohmann::json;

/// A malformed field: the exception's text names it.
struct BadField : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json& field(const json& j, const char* key, const std::string& where) {
  static const json kNull;
  if (!j.is_object()) throw BadField(where + ": not an object");
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::optional<uint64_t> get_number(const json& j, const char* key, const std::string& where) {
  const auto& v = field(j, key, where);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
    throw BadField(where + "." + key + ": not a non-negative integer");
  return v.get<uint64_t>();
}

TimePoint get_time(const json& j, const char* key, const std::string& where) {
  const auto& v = field(j, key, where);
  if (v.is_null()) return TimePoint{};
  if (!v.is_string()) throw BadField(where + "." + key + ": not an RFC 3339 time");
  auto t = parse_rfc3339(v.get<std::string>());
  if (!t) throw BadField(where + "." + key + ": not an RFC 3339 time");
  return *t;
}

std::string get_string(const json& j, const char* key, const std::string& where) {
  const auto& v = field(j, key, where);
  if (v.is_null()) return {};
  if (!v.is_string()) throw BadField(where + "." + key + ": not a string");
  return v.get<std::string>();
}

kubelet::CpuStats cpu_from(const json& j, const std::string& where) {
  kubelet::CpuStats s;
  if (j.is_null()) return s;
  s.time = get_time(j, "time", where);
  s.usage_nano_cores = get_number(j, "usageNanoCores", where);
  s.usage_core_nano_seconds = get_number(j, "usageCoreNanoSeconds", where);
  return s;
}

kubelet::MemoryStats memory_from(const json& j, const std::string& where) {
  kubelet::MemoryStats s;
  if (j.is_null()) return s;
  s.time = get_time(j, "time", where);
  s.available_bytes = get_number(j, "availableBytes", where);
  s.usage_bytes = get_number(j, "usageBytes", where);
  s.working_set_bytes = get_number(j, "workingSetBytes", where);
  s.rss_bytes = get_number(j, "rssBytes", where);
  s.page_faults = get_number(j, "pageFaults", where);
  s.major_page_faults = get_number(j, "majorPageFaults", where);
  return s;
}

std::optional<kubelet::FsStats> fs_from(const json& j, const std::string& where) {
  if (j.is_null()) return std::nullopt;
  kubelet::FsStats s;
  s.time = get_time(j, "time", where);
  s.available_bytes = get_number(j, "availableBytes", where);
  s.capacity_bytes = get_number(j, "capacityBytes", where);
  s.used_bytes = get_number(j, "usedBytes", where);
  s.inodes_free = get_number(j, "inodesFree", where);
  s.inodes = get_number(j, "inodes", where);
  s.inodes_used = get_number(j, "inodesUsed", where);
  return s;
}

const json& array_field(const json& j, const char* key, const std::string& where) {
  static const json kEmpty = json::array();
  const auto& v = field(j, key, where);
  if (v.is_null()) return kEmpty;
  if (!v.is_array()) throw BadField(where + "." + key + ": not an array");
  return v;
}

kubelet::Summary parse_summary(const json& j) {
  kubelet::Summary s;
  const auto& node = field(j, "node", "summary");
  s.node.node_name = get_string(node, "nodeName", "node");
  s.node.start_time = get_time(node, "startTime", "node");
  s.node.cpu = cpu_from(field(node, "cpu", "node"), "node.cpu");
  s.node.memory = memory_from(field(node, "memory", "node"), "node.memory");
  s.node.fs = fs_from(field(node, "fs", "node"), "node.fs");
  const auto& runtime = field(node, "runtime", "node");
  if (!runtime.is_null())
    s.node.image_fs = fs_from(field(runtime, "imageFs", "node.runtime"), "node.runtime.imageFs");
  const auto& pods = array_field(j, "pods", "summary");
  for (size_t i = 0; i < pods.size(); ++i) {
    const auto where = fmt::format("pods[{}]", i);
    const auto& p = pods[i];
    kubelet::PodStats pod;
    const auto& ref = field(p, "podRef", where);
    pod.pod_ref.name = get_string(ref, "name", where + ".podRef");
    pod.pod_ref.namespace_ = get_string(ref, "namespace", where + ".podRef");
    pod.pod_ref.uid = get_string(ref, "uid", where + ".podRef");
    pod.start_time = get_time(p, "startTime", where);
    const auto& containers = array_field(p, "containers", where);
    for (size_t k = 0; k < containers.size(); ++k) {
      const auto cw = fmt::format("{}.containers[{}]", where, k);
      const auto& c = containers[k];
      kubelet::ContainerStats cs;
      cs.name = get_string(c, "name", cw);
      cs.start_time = get_time(c, "startTime", cw);
      cs.cpu = cpu_from(field(c, "cpu", cw), cw + ".cpu");
      cs.memory = memory_from(field(c, "memory", cw), cw + ".memory");
      cs.rootfs = fs_from(field(c, "rootfs", cw), cw + ".rootfs");
      cs.logs = fs_from(field(c, "logs", cw), cw + ".logs");
      pod.containers.push_back(std::move(cs));
    }
    pod.cpu = cpu_from(field(p, "cpu", where), where + ".cpu");
    pod.memory = memory_from(field(p, "memory", where), where + ".memory");
    s.pods.push_back(std::move(pod));
  }
  return s;
}

}  // namespace

api::Result<kubelet::Summary> summary_from_json(const nlohmann::json& json) {
  try {
    return parse_summary(json);
  } catch (const BadField& e) {
    return api::fail(api::bad_request(std::string("the kubelet's summary: ") + e.what()));
  }
}

ordered_json summary_json(const kubelet::Summary& s) {
  ordered_json node = {{"nodeName", s.node.node_name}};
  put_time(node, "startTime", s.node.start_time);
  node["cpu"] = cpu_json(s.node.cpu);
  node["memory"] = memory_json(s.node.memory);
  if (s.node.fs) node["fs"] = fs_json(*s.node.fs);
  if (s.node.image_fs) node["runtime"] = {{"imageFs", fs_json(*s.node.image_fs)}};
  ordered_json pods = ordered_json::array();
  for (const auto& p : s.pods) {
    ordered_json pod = {
        {"podRef",
         {{"name", p.pod_ref.name}, {"namespace", p.pod_ref.namespace_}, {"uid", p.pod_ref.uid}}}};
    put_time(pod, "startTime", p.start_time);
    ordered_json containers = ordered_json::array();
    for (const auto& c : p.containers) containers.push_back(container_json(c));
    pod["containers"] = std::move(containers);
    pod["cpu"] = cpu_json(p.cpu);
    pod["memory"] = memory_json(p.memory);
    pods.push_back(std::move(pod));
  }
  return {{"node", std::move(node)}, {"pods", std::move(pods)}};
}

void serve_node_proxy(ApiBackend& backend, std::shared_ptr<KubeletBackend> kubelets,
                      const Route& route, const HttpRequest& request, ExchangePtr exchange) {
  if (route.rest != "stats/summary")
    return exchange->respond(status_response(
        api::Status{404,
                    "NotFound",
                    "kactor's node proxy serves only stats/summary, not \"" + route.rest + "\"",
                    {}}));
  if (request.method != "GET" && request.method != "HEAD")
    return exchange->respond(status_response(method_not_allowed()));
  apiserver::Request get;
  get.verb = apiserver::Verb::get;
  get.resource = "nodes";
  get.name = route.name;
  backend.call(std::move(get), [kubelets, exchange, node = route.name](apiserver::Response r) {
    if (r.error) return exchange->respond(status_response(*r.error));
    if (!kubelets)
      return exchange->respond(status_response(api::service_unavailable(
          "this API server reaches no kubelets: the node proxy is unavailable")));
    kubelets->summary(node, [exchange](api::Result<kubelet::Summary> s) {
      if (!s) return exchange->respond(status_response(s.error()));
      exchange->respond(HttpResponse{200, "application/json", summary_json(*s).dump(), {}});
    });
  });
}

}  // namespace kactor::http
