#include "actors/http/stats_summary.hpp"

#include "actors/http/response.hpp"
#include "api/time/rfc3339.hpp"

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

}  // namespace

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
    return exchange->respond(status_response(
        api::Status{405,
                    "MethodNotAllowed",
                    "the server does not allow this method on the requested resource",
                    {}}));
  apiserver::Request get;
  get.verb = apiserver::Verb::get;
  get.resource = "nodes";
  get.name = route.name;
  backend.call(std::move(get), [kubelets, exchange, node = route.name](apiserver::Response r) {
    if (r.error) return exchange->respond(status_response(*r.error));
    if (!kubelets)
      return exchange->respond(status_response(
          api::Status{503,
                      "ServiceUnavailable",
                      "this API server reaches no kubelets: the node proxy is unavailable",
                      {}}));
    kubelets->summary(node, [exchange](api::Result<kubelet::Summary> s) {
      if (!s) return exchange->respond(status_response(s.error()));
      exchange->respond(HttpResponse{200, "application/json", summary_json(*s).dump(), {}});
    });
  });
}

}  // namespace kactor::http
