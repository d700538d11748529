// Server-side Tables (actors/http/tables/): the Table document, includeObject, and for every
// kind the exact cells upstream's printers give, tricky cells included.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "actors/http/tables/table.hpp"
#include "api/registry.hpp"
#include "api/testing/builders.hpp"
#include "api/time/rfc3339.hpp"
#include "api/types/all.hpp"

using namespace kactor;
using namespace kactor::http::tables;
using namespace std::chrono_literals;
using api::testing::make_namespace;
using api::testing::make_node;
using api::testing::make_pod;
using api::testing::make_replication_controller;
using api::testing::make_service;
using api::testing::qty;
using nlohmann::json;

namespace {

/// The fixed "now" of every test: ages are exact.
TimePoint now() {
  return *parse_rfc3339("2026-11-27T12:00:00Z");
}

api::Time ago(Duration d) {
  return api::Time{now() - d};
}

template <class T>
std::vector<api::ObjectPtr> items(const T& object) {
  return {std::make_shared<const T>(object)};
}

template <class T>
json table_of(const T& object, TableOptions options = {}) {
  return render_table(T::static_type(), items(object), "42", "", options, now());
}

/// The cells of the one row `object` gives, wide cells included.
template <class T>
json cells(const T& object) {
  return table_of(object)["rows"][0]["cells"];
}

/// The column names of `type`'s Table, and which are wide.
std::vector<std::string> column_names(const api::TypeInfo& type, int priority) {
  std::vector<std::string> out;
  auto table = render_table(type, {}, "", "", {}, now());
  for (const auto& c : table["columnDefinitions"])
    if (c["priority"] == priority) out.push_back(c["name"]);
  return out;
}

using Names = std::vector<std::string>;

api::ContainerStatus running(const std::string& name, bool ready) {
  api::ContainerStatus s;
  s.name = name;
  s.ready = ready;
  s.state.running = api::ContainerStateRunning{ago(10min)};
  return s;
}

api::ContainerStatus waiting(const std::string& name, const std::string& reason) {
  api::ContainerStatus s;
  s.name = name;
  s.state.waiting = api::ContainerStateWaiting{reason, ""};
  return s;
}

api::ContainerStatus terminated(const std::string& name, int exit_code, const std::string& reason,
                                int signal = 0) {
  api::ContainerStatus s;
  s.name = name;
  api::ContainerStateTerminated t;
  t.exit_code = exit_code;
  t.reason = reason;
  t.signal = signal;
  s.state.terminated = t;
  return s;
}

/// make_pod() created 5 minutes ago, scheduled to node-1, with IP 10.244.0.5.
api::Pod scheduled_pod(const std::string& name) {
  auto pod = make_pod("default", name);
  pod.metadata.creation_timestamp = ago(5min);
  pod.spec.node_name = "node-1";
  pod.status.phase = "Running";
  pod.status.pod_ip = "10.244.0.5";
  pod.status.pod_ips = {{"10.244.0.5"}};
  return pod;
}

api::Container container(const std::string& name, const std::string& image) {
  api::Container c;
  c.name = name;
  c.image = image;
  return c;
}

api::PodCondition condition(const std::string& type, const std::string& status) {
  api::PodCondition c;
  c.type = type;
  c.status = status;
  return c;
}

}  // namespace

// -- HumanDuration ----------------------------------------------------------------

TEST_CASE("tables: ages are printed as upstream's HumanDuration at each boundary", "[http]") {
  struct Case {
    Duration d;
    const char* text;
  };
  const Case cases[] = {
      {-3s, "<invalid>"},
      {-2s, "<invalid>"},
      {-1500ms, "0s"},
      {-1s, "0s"},
      {0s, "0s"},
      {5s, "5s"},
      {119s, "119s"},
      {120s, "2m"},
      {200s, "3m20s"},
      {9min + 59s, "9m59s"},
      {10min, "10m"},
      {10min + 30s, "10m"},
      {179min, "179m"},
      {3h, "3h"},
      {4h, "4h"},
      {7h + 30min, "7h30m"},
      {7h + 59min, "7h59m"},
      {8h, "8h"},
      {47h + 59min, "47h"},
      {48h, "2d"},
      {51h, "2d3h"},
      {7 * 24h + 23h, "7d23h"},
      {8 * 24h, "8d"},
      {729 * 24h, "729d"},
      {730 * 24h, "2y"},
      {760 * 24h, "2y30d"},
      {3 * 365 * 24h, "3y"},
      {8 * 365 * 24h - 1h, "7y364d"},
      {8 * 365 * 24h, "8y"},
      {20 * 365 * 24h + 100 * 24h, "20y"},
  };
  for (const auto& c : cases) {
    INFO(std::chrono::duration_cast<std::chrono::milliseconds>(c.d).count() << " ms");
    CHECK(human_duration(c.d) == c.text);
  }
}

TEST_CASE("tables: an unset creation time is an unknown age", "[http]") {
  auto ns = make_namespace("prod");  // no creationTimestamp
  CHECK(cells(ns)[2] == "<unknown>");
}

// -- the Table document -------------------------------------------------------------

TEST_CASE("tables: a Table carries kind, apiVersion, resourceVersion and continue", "[http]") {
  auto ns = make_namespace("prod");
  auto table = render_table(api::Namespace::static_type(), items(ns), "1234", "token-7", {}, now());
  CHECK(table["kind"] == "Table");
  CHECK(table["apiVersion"] == "meta.k8s.io/v1");
  CHECK(table["metadata"] == json{{"resourceVersion", "1234"}, {"continue", "token-7"}});
  CHECK(table["rows"].size() == 1);

  auto last_page = render_table(api::Namespace::static_type(), items(ns), "1234", "", {}, now());
  CHECK(last_page["metadata"] == json{{"resourceVersion", "1234"}});
  auto empty = render_table(api::Namespace::static_type(), {}, "", "", {}, now());
  CHECK(empty["metadata"] == json::object());
  CHECK(empty["rows"] == json::array());
}

TEST_CASE("tables: column definitions have every field, the name column has format name",
          "[http]") {
  auto table = render_table(api::Pod::static_type(), {}, "", "", {}, now());
  const auto& columns = table["columnDefinitions"];
  REQUIRE(columns.size() == 9);
  for (const auto& c : columns) {
    CHECK(c.contains("name"));
    CHECK(c["type"] == "string");
    CHECK(c.contains("format"));
    CHECK(!c["description"].get<std::string>().empty());
    CHECK(c.contains("priority"));
  }
  CHECK(columns[0]["format"] == "name");
  CHECK(columns[1]["format"] == "");
}

TEST_CASE("tables: noHeaders leaves out the column definitions but not the rows", "[http]") {
  TableOptions options;
  options.no_headers = true;
  auto table = table_of(make_namespace("prod"), options);
  CHECK(table["columnDefinitions"] == json::array());
  CHECK(table["rows"][0]["cells"][0] == "prod");
}

TEST_CASE("tables: includeObject Metadata gives each row a PartialObjectMetadata", "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.metadata.labels = {{"app", "web"}};
  pod.metadata.uid = "uid-1";
  auto row = table_of(pod)["rows"][0];  // Metadata is the default
  CHECK(row["object"]["kind"] == "PartialObjectMetadata");
  CHECK(row["object"]["apiVersion"] == "meta.k8s.io/v1");
  CHECK(row["object"]["metadata"]["name"] == "web-1");
  CHECK(row["object"]["metadata"]["namespace"] == "default");  // kubectl -A reads it here
  CHECK(row["object"]["metadata"]["labels"] == json{{"app", "web"}});
  CHECK(row["object"]["metadata"]["uid"] == "uid-1");
  CHECK(!row["object"].contains("spec"));
}

TEST_CASE("tables: includeObject Object gives the whole object, None gives none", "[http]") {
  auto pod = scheduled_pod("web-1");
  TableOptions whole;
  whole.include = IncludeObject::object;
  auto object = table_of(pod, whole)["rows"][0]["object"];
  CHECK(object["kind"] == "Pod");
  CHECK(object["apiVersion"] == "v1");
  CHECK(object["spec"]["nodeName"] == "node-1");
  CHECK(object["status"]["podIP"] == "10.244.0.5");

  TableOptions none;
  none.include = IncludeObject::none;
  auto row = table_of(pod, none)["rows"][0];
  CHECK(!row.contains("object"));
  CHECK(row["cells"][0] == "web-1");
}

TEST_CASE("tables: includeObject values are parsed strictly", "[http]") {
  CHECK(parse_include_object("") == IncludeObject::metadata);
  CHECK(parse_include_object("Metadata") == IncludeObject::metadata);
  CHECK(parse_include_object("Object") == IncludeObject::object);
  CHECK(parse_include_object("None") == IncludeObject::none);
  for (const char* bad : {"object", "All"}) {
    auto result = parse_include_object(bad);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == 400);
    CHECK(result.error().reason == "BadRequest");
    CHECK(result.error().message ==
          "unrecognized includeObject value: \"" + std::string(bad) + "\"");
  }
}

TEST_CASE("tables: rows keep the order of the items", "[http]") {
  std::vector<api::ObjectPtr> list;
  for (const char* name : {"zeta", "alpha", "mid"})
    list.push_back(std::make_shared<const api::Namespace>(make_namespace(name)));
  auto table = render_table(api::Namespace::static_type(), list, "7", "", {}, now());
  REQUIRE(table["rows"].size() == 3);
  CHECK(table["rows"][0]["cells"][0] == "zeta");
  CHECK(table["rows"][1]["cells"][0] == "alpha");
  CHECK(table["rows"][2]["cells"][0] == "mid");
}

TEST_CASE("tables: every registered kind prints as many cells as it has columns", "[http]") {
  for (const auto* type : api::Registry::builtin().all()) {
    INFO(type->kind);
    auto object = api::ObjectPtr(type->make());
    auto table = render_table(*type, {object}, "", "", {}, now());
    CHECK(table["rows"][0]["cells"].size() == table["columnDefinitions"].size());
  }
}

TEST_CASE("tables: a kind without a printer gets NAME and AGE", "[http]") {
  api::Binding binding;
  binding.metadata.name = "web-1";
  binding.metadata.creation_timestamp = ago(90s);
  CHECK(&printer_for(api::Binding::static_type()) == &default_printer());
  CHECK(column_names(api::Binding::static_type(), 0) == Names{"Name", "Age"});
  CHECK(cells(binding) == json{"web-1", "90s"});
}

TEST_CASE("tables: an item of another kind is printed with NAME and AGE, not misread", "[http]") {
  auto ns = make_namespace("prod");
  ns.metadata.creation_timestamp = ago(3h);
  auto table = render_table(api::Pod::static_type(), items(ns), "", "", {}, now());
  CHECK(table["rows"][0]["cells"] == json{"prod", "3h"});
}

// -- pods ---------------------------------------------------------------------------

TEST_CASE("tables: pod columns, with the wide ones at priority 1", "[http]") {
  CHECK(column_names(api::Pod::static_type(), 0) ==
        Names{"Name", "Ready", "Status", "Restarts", "Age"});
  CHECK(column_names(api::Pod::static_type(), 1) ==
        Names{"IP", "Node", "Nominated Node", "Readiness Gates"});
}

TEST_CASE("tables: a running ready pod", "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.status.container_statuses = {running("app", true)};
  pod.status.conditions = {condition("Ready", "True")};
  CHECK(cells(pod) ==
        json{"web-1", "1/1", "Running", "0", "5m", "10.244.0.5", "node-1", "<none>", "<none>"});
}

TEST_CASE("tables: a pending pod not yet scheduled", "[http]") {
  auto pod = make_pod("default", "web-1");
  pod.metadata.creation_timestamp = ago(4s);
  pod.status.phase = "Pending";
  CHECK(cells(pod) ==
        json{"web-1", "0/1", "Pending", "0", "4s", "<none>", "<none>", "<none>", "<none>"});
}

TEST_CASE("tables: a crash-looping pod shows the waiting reason and restarts with ago", "[http]") {
  auto pod = scheduled_pod("web-1");
  auto s = waiting("app", "CrashLoopBackOff");
  s.restart_count = 3;
  api::ContainerStateTerminated last;
  last.exit_code = 1;
  last.reason = "Error";
  last.finished_at = ago(5min);
  s.last_state.terminated = last;
  pod.status.container_statuses = {s};
  auto c = cells(pod);
  CHECK(c[1] == "0/1");
  CHECK(c[2] == "CrashLoopBackOff");
  CHECK(c[3] == "3 (5m ago)");
}

TEST_CASE("tables: restarts without a last termination time have no ago", "[http]") {
  auto pod = scheduled_pod("web-1");
  auto s = running("app", true);
  s.restart_count = 2;
  pod.status.container_statuses = {s};
  CHECK(cells(pod)[3] == "2");
}

TEST_CASE("tables: the latest termination of all containers gives the restart ago", "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.spec.containers.push_back(container("sidecar", "envoy:1"));
  auto a = running("app", true);
  a.restart_count = 1;
  a.last_state.terminated = api::ContainerStateTerminated{};
  a.last_state.terminated->finished_at = ago(2h);
  auto b = running("sidecar", true);
  b.restart_count = 4;
  b.last_state.terminated = api::ContainerStateTerminated{};
  b.last_state.terminated->finished_at = ago(30s);
  pod.status.container_statuses = {a, b};
  auto c = cells(pod);
  CHECK(c[1] == "2/2");
  CHECK(c[3] == "5 (30s ago)");
}

TEST_CASE("tables: terminated containers show reason, exit code or signal", "[http]") {
  auto pod = scheduled_pod("job-1");
  pod.status.phase = "Failed";
  pod.status.container_statuses = {terminated("app", 1, "")};
  CHECK(cells(pod)[2] == "ExitCode:1");
  pod.status.container_statuses = {terminated("app", 137, "", 9)};
  CHECK(cells(pod)[2] == "Signal:9");
  pod.status.container_statuses = {terminated("app", 137, "OOMKilled")};
  CHECK(cells(pod)[2] == "OOMKilled");
}

TEST_CASE("tables: with several containers the first one's reason wins", "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.spec.containers.push_back(container("b", "busybox"));
  pod.status.container_statuses = {waiting("app", "ImagePullBackOff"),
                                   waiting("b", "ContainerCreating")};
  CHECK(cells(pod)[2] == "ImagePullBackOff");
}

TEST_CASE("tables: a completed pod is Completed and its row is marked completed", "[http]") {
  auto pod = scheduled_pod("job-1");
  pod.status.phase = "Succeeded";
  pod.status.container_statuses = {terminated("app", 0, "Completed")};
  auto row = table_of(pod)["rows"][0];
  CHECK(row["cells"][1] == "0/1");
  CHECK(row["cells"][2] == "Completed");
  CHECK(row["conditions"] == json::array({{{"type", "Completed"},
                                           {"status", "True"},
                                           {"reason", "Succeeded"},
                                           {"message", "The pod has completed successfully."}}}));

  pod.status.phase = "Failed";
  CHECK(table_of(pod)["rows"][0]["conditions"][0]["reason"] == "Failed");
  pod.status.phase = "Running";
  CHECK(!table_of(pod)["rows"][0].contains("conditions"));
}

TEST_CASE("tables: a pod with one container completed and one running is Running or NotReady",
          "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.spec.containers.push_back(container("worker", "busybox"));
  pod.status.container_statuses = {running("app", true), terminated("worker", 0, "Completed")};
  pod.status.conditions = {condition("Ready", "True")};
  CHECK(cells(pod)[2] == "Running");
  pod.status.conditions = {condition("Ready", "False")};
  CHECK(cells(pod)[2] == "NotReady");
}

TEST_CASE("tables: init containers show Init:n/m, their reason, exit code or signal", "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.status.phase = "Pending";
  pod.spec.init_containers = {container("migrate", "migrate:1"), container("seed", "seed:1")};
  pod.status.container_statuses = {waiting("app", "PodInitializing")};

  pod.status.init_container_statuses = {running("migrate", false),
                                        waiting("seed", "PodInitializing")};
  CHECK(cells(pod)[2] == "Init:0/2");
  pod.status.init_container_statuses = {terminated("migrate", 0, "Completed"),
                                        running("seed", false)};
  CHECK(cells(pod)[2] == "Init:1/2");
  pod.status.init_container_statuses = {terminated("migrate", 0, "Completed"),
                                        waiting("seed", "ImagePullBackOff")};
  CHECK(cells(pod)[2] == "Init:ImagePullBackOff");
  pod.status.init_container_statuses = {terminated("migrate", 1, "Error"), waiting("seed", "")};
  CHECK(cells(pod)[2] == "Init:Error");
  pod.status.init_container_statuses = {terminated("migrate", 2, "")};
  CHECK(cells(pod)[2] == "Init:ExitCode:2");
  pod.status.init_container_statuses = {terminated("migrate", 143, "", 15)};
  CHECK(cells(pod)[2] == "Init:Signal:15");
}

TEST_CASE("tables: while initializing, restarts count the init containers", "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.status.phase = "Pending";
  pod.spec.init_containers = {container("migrate", "migrate:1")};
  auto init = waiting("migrate", "CrashLoopBackOff");
  init.restart_count = 4;
  init.last_state.terminated = api::ContainerStateTerminated{};
  init.last_state.terminated->finished_at = ago(20s);
  pod.status.init_container_statuses = {init};
  pod.status.container_statuses = {waiting("app", "PodInitializing")};
  auto c = cells(pod);
  CHECK(c[2] == "Init:CrashLoopBackOff");
  CHECK(c[3] == "4 (20s ago)");
}

TEST_CASE("tables: a started sidecar counts as a container, its restarts go on counting",
          "[http]") {
  auto pod = scheduled_pod("web-1");
  auto sidecar = container("proxy", "envoy:1");
  sidecar.restart_policy = "Always";
  pod.spec.init_containers = {container("migrate", "migrate:1"), sidecar};
  auto proxy = running("proxy", true);
  proxy.started = true;
  proxy.restart_count = 1;
  pod.status.init_container_statuses = {terminated("migrate", 0, "Completed"), proxy};
  pod.status.container_statuses = {running("app", true)};
  pod.status.conditions = {condition("Initialized", "True"), condition("Ready", "True")};
  auto c = cells(pod);
  CHECK(c[1] == "2/2");
  CHECK(c[2] == "Running");
  CHECK(c[3] == "1");
}

TEST_CASE("tables: a pod being deleted is Terminating, on a lost node Unknown", "[http]") {
  auto pod = scheduled_pod("web-1");
  pod.status.container_statuses = {running("app", true)};
  pod.metadata.deletion_timestamp = ago(1s);
  CHECK(cells(pod)[2] == "Terminating");

  pod.status.reason = "NodeLost";
  CHECK(cells(pod)[2] == "Unknown");
  pod.metadata.deletion_timestamp.reset();
  pod.status.container_statuses.clear();
  CHECK(cells(pod)[2] == "NodeLost");  // the pod's reason, while it is not deleted

  auto done = scheduled_pod("job-1");
  done.status.phase = "Succeeded";
  done.status.container_statuses = {terminated("app", 0, "Completed")};
  done.metadata.deletion_timestamp = ago(1s);
  CHECK(cells(done)[2] == "Completed");  // a terminal pod is not Terminating
}

TEST_CASE("tables: a pod held by scheduling gates is SchedulingGated", "[http]") {
  auto pod = make_pod("default", "web-1");
  pod.status.phase = "Pending";
  api::PodCondition gated = condition("PodScheduled", "False");
  gated.reason = "SchedulingGated";
  pod.status.conditions = {gated};
  CHECK(cells(pod)[2] == "SchedulingGated");
}

TEST_CASE("tables: pod wide cells: nominated node and readiness gates", "[http]") {
  auto pod = make_pod("default", "web-1");
  pod.status.phase = "Pending";
  pod.status.nominated_node_name = "node-2";
  pod.spec.readiness_gates = {{"example.com/lb"}, {"example.com/dns"}};
  pod.status.conditions = {condition("example.com/lb", "True"),
                           condition("example.com/dns", "False")};
  auto c = cells(pod);
  CHECK(c[5] == "<none>");
  CHECK(c[6] == "<none>");
  CHECK(c[7] == "node-2");
  CHECK(c[8] == "1/2");
}

// -- nodes --------------------------------------------------------------------------

TEST_CASE("tables: node columns, with the wide ones at priority 1", "[http]") {
  CHECK(column_names(api::Node::static_type(), 0) ==
        Names{"Name", "Status", "Roles", "Age", "Version"});
  CHECK(column_names(api::Node::static_type(), 1) ==
        Names{"Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"});
}

TEST_CASE("tables: a ready node with roles and its system info", "[http]") {
  auto node = make_node("node-1");
  node.metadata.creation_timestamp = ago(51h);
  node.metadata.labels = {{"node-role.kubernetes.io/worker", ""},
                          {"node-role.kubernetes.io/control-plane", ""},
                          {"kubernetes.io/role", "ingress"},
                          {"node-role.kubernetes.io/", ""}};
  node.status.node_info.kubelet_version = "v1.32.0-kactor";
  node.status.node_info.os_image = "Debian GNU/Linux 12 (bookworm)";
  node.status.node_info.kernel_version = "6.1.0-18-amd64";
  node.status.node_info.container_runtime_version = "kactor-sim://1.0";
  node.status.addresses = {{"Hostname", "node-1"}, {"InternalIP", "10.0.0.11"}};
  CHECK(cells(node) == json{"node-1", "Ready", "control-plane,ingress,worker", "2d3h",
                            "v1.32.0-kactor", "10.0.0.11", "<none>",
                            "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64",
                            "kactor-sim://1.0"});
}

TEST_CASE("tables: node status: NotReady, Unknown, SchedulingDisabled, and no roles", "[http]") {
  auto node = make_node("node-1");
  node.spec.unschedulable = true;
  auto c = cells(node);
  CHECK(c[1] == "Ready,SchedulingDisabled");
  CHECK(c[2] == "<none>");
  CHECK(c[5] == "<none>");
  CHECK(c[7] == "<unknown>");
  CHECK(c[8] == "<unknown>");
  CHECK(c[9] == "<unknown>");

  node.status.conditions[0].status = "Unknown";
  CHECK(cells(node)[1] == "NotReady,SchedulingDisabled");
  node.status.conditions.clear();
  node.spec.unschedulable = false;
  CHECK(cells(node)[1] == "Unknown");
}

// -- services and endpoints ---------------------------------------------------------

TEST_CASE("tables: a ClusterIP service", "[http]") {
  auto svc = make_service("default", "web", {{"app", "web"}, {"tier", "front"}});
  svc.metadata.creation_timestamp = ago(200s);
  svc.spec.type = "ClusterIP";
  svc.spec.cluster_ip = "10.96.0.10";
  svc.spec.cluster_ips = {"10.96.0.10"};
  CHECK(column_names(api::Service::static_type(), 0) ==
        Names{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"});
  CHECK(column_names(api::Service::static_type(), 1) == Names{"Selector"});
  CHECK(cells(svc) ==
        json{"web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP", "3m20s", "app=web,tier=front"});
}

TEST_CASE("tables: service ports with NodePorts, headless and portless services", "[http]") {
  auto svc = make_service("default", "web", {});
  svc.spec.type = "NodePort";
  svc.spec.cluster_ips = {"10.96.0.11"};
  svc.spec.ports[0].node_port = 30080;
  api::ServicePort dns;
  dns.port = 53;
  dns.protocol = "UDP";
  svc.spec.ports.push_back(dns);
  svc.spec.external_ips = {"192.0.2.1", "192.0.2.2"};
  auto c = cells(svc);
  CHECK(c[3] == "192.0.2.1,192.0.2.2");
  CHECK(c[4] == "80:30080/TCP,53/UDP");
  CHECK(c[6] == "<none>");  // no selector

  auto headless = make_service("default", "db", {{"app", "db"}});
  headless.spec.type = "ClusterIP";
  headless.spec.cluster_ip = "None";
  headless.spec.cluster_ips = {"None"};
  headless.spec.ports.clear();
  auto h = cells(headless);
  CHECK(h[2] == "None");
  CHECK(h[4] == "<none>");
}

TEST_CASE("tables: a LoadBalancer service is pending until it has an address", "[http]") {
  auto svc = make_service("default", "web", {{"app", "web"}});
  svc.spec.type = "LoadBalancer";
  svc.spec.cluster_ips = {"10.96.0.12"};
  svc.spec.ports[0].node_port = 31000;
  CHECK(cells(svc)[3] == "<pending>");
  CHECK(cells(svc)[4] == "80:31000/TCP");

  svc.status.load_balancer.ingress = {
      {"203.0.113.9", ""}, {"", "lb.example.com"}, {"203.0.113.9", ""}};
  CHECK(cells(svc)[3] == "203.0.113.9,lb.example.com");
  svc.spec.external_ips = {"192.0.2.1"};
  CHECK(cells(svc)[3] == "203.0.113.9,lb.example.com,192.0.2.1");
  svc.status.load_balancer.ingress.clear();
  CHECK(cells(svc)[3] == "192.0.2.1");
}

TEST_CASE("tables: an ExternalName service shows its name as the external IP", "[http]") {
  api::Service svc;
  svc.metadata.name = "search";
  svc.spec.type = "ExternalName";
  svc.spec.external_name = "search.example.com";
  auto c = cells(svc);
  CHECK(c[2] == "<none>");
  CHECK(c[3] == "search.example.com");
}

TEST_CASE("tables: endpoints show at most three addresses, then how many more", "[http]") {
  api::Endpoints ep;
  ep.metadata.name = "web";
  ep.metadata.creation_timestamp = ago(45min);
  CHECK(column_names(api::Endpoints::static_type(), 0) == Names{"Name", "Endpoints", "Age"});
  CHECK(cells(ep) == json{"web", "<none>", "45m"});

  api::EndpointSubset subset;
  subset.ports = {{"http", 80, "TCP", std::nullopt}};
  subset.addresses = {{"10.0.0.1", "", std::nullopt, std::nullopt},
                      {"10.0.0.2", "", std::nullopt, std::nullopt}};
  ep.subsets = {subset};
  CHECK(cells(ep)[1] == "10.0.0.1:80,10.0.0.2:80");

  for (const char* ip : {"10.0.0.3", "10.0.0.4", "10.0.0.5"})
    ep.subsets[0].addresses.push_back({ip, "", std::nullopt, std::nullopt});
  CHECK(cells(ep)[1] == "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...");

  ep.subsets[0].ports.push_back({"https", 443, "TCP", std::nullopt});  // 10 host ports in all
  CHECK(cells(ep)[1] == "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 7 more...");
}

TEST_CASE("tables: endpoints without ports, not-ready only, and IPv6", "[http]") {
  api::Endpoints ep;
  ep.metadata.name = "db";
  api::EndpointSubset portless;
  portless.addresses = {{"10.0.0.7", "", std::nullopt, std::nullopt}};
  ep.subsets = {portless};
  CHECK(cells(ep)[1] == "10.0.0.7");

  api::EndpointSubset not_ready;
  not_ready.ports = {{"", 5432, "TCP", std::nullopt}};
  not_ready.not_ready_addresses = {{"10.0.0.8", "", std::nullopt, std::nullopt}};
  ep.subsets = {not_ready};
  CHECK(cells(ep)[1] == "<none>");

  api::EndpointSubset v6;
  v6.ports = {{"", 5432, "TCP", std::nullopt}};
  v6.addresses = {{"fd00::7", "", std::nullopt, std::nullopt}};
  ep.subsets = {v6};
  CHECK(cells(ep)[1] == "[fd00::7]:5432");
}

// -- workloads ----------------------------------------------------------------------

TEST_CASE("tables: a replication controller", "[http]") {
  auto rc = make_replication_controller("default", "web", 3, {{"app", "web"}});
  rc.metadata.creation_timestamp = ago(4h);
  rc.spec.template_->spec.containers.push_back(container("log", "fluentd:2"));
  rc.status.replicas = 3;
  rc.status.ready_replicas = 2;
  CHECK(column_names(api::ReplicationController::static_type(), 0) ==
        Names{"Name", "Desired", "Current", "Ready", "Age"});
  CHECK(column_names(api::ReplicationController::static_type(), 1) ==
        Names{"Containers", "Images", "Selector"});
  CHECK(cells(rc) == json{"web", 3, 3, 2, "4h", "app,log", "nginx:1.25,fluentd:2", "app=web"});
}

TEST_CASE("tables: a replica set prints its selector with expressions", "[http]") {
  api::ReplicaSet rs;
  rs.metadata.name = "web-5d4f";
  rs.metadata.creation_timestamp = ago(9min + 5s);
  rs.spec.replicas = 2;
  api::LabelSelector selector;
  selector.match_labels = {{"app", "web"}};
  selector.match_expressions = {{"tier", "In", {"front", "api"}},
                                {"canary", "DoesNotExist", {}},
                                {"zone", "Exists", {}},
                                {"env", "NotIn", {"dev"}}};
  rs.spec.selector = selector;
  rs.spec.template_.spec = make_pod("default", "x").spec;
  rs.status.replicas = 2;
  rs.status.ready_replicas = 1;
  CHECK(cells(rs) == json{"web-5d4f", 2, 2, 1, "9m5s", "app", "nginx:1.25",
                          "app=web,!canary,env notin (dev),tier in (api,front),zone"});
  rs.spec.selector = api::LabelSelector{};
  CHECK(cells(rs)[7] == "<none>");
}

TEST_CASE("tables: a deployment shows READY as ready/desired", "[http]") {
  api::Deployment d;
  d.metadata.name = "web";
  d.metadata.creation_timestamp = ago(10 * 24h);
  d.spec.replicas = 3;
  d.spec.selector = api::LabelSelector{{{"app", "web"}}, {}};
  d.spec.template_.spec = make_pod("default", "x").spec;
  d.status.ready_replicas = 2;
  d.status.updated_replicas = 3;
  d.status.available_replicas = 1;
  CHECK(column_names(api::Deployment::static_type(), 0) ==
        Names{"Name", "Ready", "Up-to-date", "Available", "Age"});
  CHECK(column_names(api::Deployment::static_type(), 1) ==
        Names{"Containers", "Images", "Selector"});
  CHECK(cells(d) == json{"web", "2/3", 3, 1, "10d", "app", "nginx:1.25", "app=web"});
}

// -- configuration ------------------------------------------------------------------

TEST_CASE("tables: config maps, secrets and service accounts count their entries", "[http]") {
  api::ConfigMap cm;
  cm.metadata.name = "settings";
  cm.metadata.creation_timestamp = ago(30s);
  cm.data = {{"a", "1"}, {"b", "2"}};
  cm.binary_data = {{"c", "AAE="}};
  CHECK(column_names(api::ConfigMap::static_type(), 0) == Names{"Name", "Data", "Age"});
  CHECK(cells(cm) == json{"settings", 3, "30s"});

  api::Secret secret;
  secret.metadata.name = "tls";
  secret.metadata.creation_timestamp = ago(2h);
  secret.type = "kubernetes.io/tls";
  secret.data = {{"tls.crt", "Y3J0"}, {"tls.key", "a2V5"}};
  CHECK(column_names(api::Secret::static_type(), 0) == Names{"Name", "Type", "Data", "Age"});
  CHECK(cells(secret) == json{"tls", "kubernetes.io/tls", 2, "120m"});  // minutes up to 3h

  api::ServiceAccount sa;
  sa.metadata.name = "default";
  sa.metadata.creation_timestamp = ago(3 * 365 * 24h);
  sa.secrets = {api::ObjectReference{}};
  CHECK(column_names(api::ServiceAccount::static_type(), 0) == Names{"Name", "Secrets", "Age"});
  CHECK(cells(sa) == json{"default", 1, "3y"});
}

// -- namespaces, events, leases -----------------------------------------------------

TEST_CASE("tables: namespaces show their phase", "[http]") {
  auto ns = make_namespace("prod");
  ns.metadata.creation_timestamp = ago(7h + 30min);
  ns.status.phase = "Active";
  CHECK(column_names(api::Namespace::static_type(), 0) == Names{"Name", "Status", "Age"});
  CHECK(cells(ns) == json{"prod", "Active", "7h30m"});
  ns.status.phase = "Terminating";
  CHECK(cells(ns)[1] == "Terminating");
}

TEST_CASE("tables: event columns, the wide ones between the others", "[http]") {
  auto table = render_table(api::Event::static_type(), {}, "", "", {}, now());
  Names all;
  for (const auto& c : table["columnDefinitions"]) all.push_back(c["name"]);
  CHECK(all == Names{"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                     "First Seen", "Count", "Name"});
  CHECK(column_names(api::Event::static_type(), 1) ==
        Names{"Subobject", "Source", "First Seen", "Count", "Name"});
  CHECK(table["columnDefinitions"][9]["format"] == "name");
}

TEST_CASE("tables: a core/v1 event", "[http]") {
  api::Event e;
  e.metadata.name = "web-1.17a";
  e.involved_object.kind = "Pod";
  e.involved_object.name = "web-1";
  e.involved_object.field_path = "spec.containers{app}";
  e.reason = "BackOff";
  e.message = "  Back-off restarting failed container\n";
  e.type = "Warning";
  e.source = {"kubelet", "node-1"};
  e.first_timestamp = ago(10min);
  e.last_timestamp = ago(20s);
  e.count = 7;
  CHECK(cells(e) == json{"20s", "Warning", "BackOff", "pod/web-1", "spec.containers{app}",
                         "kubelet, node-1", "Back-off restarting failed container", "10m", 7,
                         "web-1.17a"});
}

TEST_CASE("tables: an events.k8s.io event: eventTime, series, reporting fields", "[http]") {
  api::Event e;
  e.metadata.name = "n.1";
  e.involved_object.kind = "Node";  // no name: the kind alone
  e.reason = "Starting";
  e.type = "Normal";
  e.reporting_component = "kubelet";
  e.event_time = api::MicroTime{now() - 3min};
  auto c = cells(e);
  CHECK(c[0] == "3m");  // no lastTimestamp: the first seen
  CHECK(c[3] == "node");
  CHECK(c[5] == "kubelet");
  CHECK(c[7] == "3m");
  CHECK(c[8] == 1);  // a singleton event has no count

  e.reporting_instance = "node-1";
  e.series = api::EventSeries{4, api::MicroTime{now() - 15s}};
  c = cells(e);
  CHECK(c[0] == "15s");
  CHECK(c[5] == "kubelet, node-1");
  CHECK(c[8] == 4);
}

TEST_CASE("tables: leases show their holder", "[http]") {
  api::Lease lease;
  lease.metadata.name = "node-1";
  lease.metadata.creation_timestamp = ago(1h);
  lease.spec.holder_identity = "node-1";
  CHECK(column_names(api::Lease::static_type(), 0) == Names{"Name", "Holder", "Age"});
  CHECK(cells(lease) == json{"node-1", "node-1", "60m"});
  lease.spec.holder_identity.reset();
  CHECK(cells(lease)[1] == "");
}

// -- policy -------------------------------------------------------------------------

TEST_CASE("tables: priority classes", "[http]") {
  api::PriorityClass pc;
  pc.metadata.name = "high";
  pc.metadata.creation_timestamp = ago(5s);
  pc.value = 1000000;
  pc.global_default = true;
  pc.preemption_policy = "Never";
  CHECK(column_names(api::PriorityClass::static_type(), 0) ==
        Names{"Name", "Value", "Global-Default", "Age", "PreemptionPolicy"});
  CHECK(cells(pc) == json{"high", 1000000, true, "5s", "Never"});
  pc.preemption_policy.reset();
  pc.global_default = false;
  CHECK(cells(pc)[2] == false);
  CHECK(cells(pc)[4] == "");
}

TEST_CASE("tables: resource quotas list used/hard, limits apart from requests", "[http]") {
  api::ResourceQuota q;
  q.metadata.name = "compute";
  q.metadata.creation_timestamp = ago(2min);
  q.spec.hard = {{"requests.cpu", qty("2")},
                 {"limits.memory", qty("4Gi")},
                 {"pods", qty("10")},
                 {"limits.cpu", qty("4")}};
  q.status.hard = q.spec.hard;
  q.status.used = {{"requests.cpu", qty("500m")}, {"pods", qty("3")}, {"limits.cpu", qty("1")}};
  CHECK(column_names(api::ResourceQuota::static_type(), 0) ==
        Names{"Name", "Age", "Request", "Limit"});
  CHECK(cells(q) == json{"compute", "2m", "pods: 3/10, requests.cpu: 500m/2",
                         "limits.cpu: 1/4, limits.memory: 0/4Gi"});
}

TEST_CASE("tables: limit ranges show when they were created", "[http]") {
  api::LimitRange lr;
  lr.metadata.name = "defaults";
  lr.metadata.creation_timestamp = api::Time{*parse_rfc3339("2026-11-20T08:30:00Z")};
  auto table = table_of(lr);
  CHECK(table["columnDefinitions"][1]["name"] == "Created At");
  CHECK(table["columnDefinitions"][1]["type"] == "date");
  CHECK(table["rows"][0]["cells"] == json{"defaults", "2026-11-20T08:30:00Z"});
}

// -- storage ------------------------------------------------------------------------

TEST_CASE("tables: a bound persistent volume", "[http]") {
  api::PersistentVolume pv;
  pv.metadata.name = "pv-1";
  pv.metadata.creation_timestamp = ago(3h);
  pv.spec.capacity = {{"storage", qty("10Gi")}};
  pv.spec.access_modes = {"ReadWriteMany", "ReadWriteOnce"};
  pv.spec.persistent_volume_reclaim_policy = "Retain";
  pv.spec.storage_class_name = "standard";
  api::ObjectReference claim;
  claim.namespace_ = "default";
  claim.name = "data";
  pv.spec.claim_ref = claim;
  pv.status.phase = "Bound";
  CHECK(column_names(api::PersistentVolume::static_type(), 1) == Names{"VolumeMode"});
  CHECK(cells(pv) == json{"pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard",
                          "<unset>", "", "3h", "<unset>"});
  pv.metadata.deletion_timestamp = ago(1s);
  pv.metadata.annotations = {{"volume.beta.kubernetes.io/storage-class", "old"}};
  pv.spec.volume_mode = "Block";
  auto c = cells(pv);
  CHECK(c[4] == "Terminating");
  CHECK(c[6] == "old");
  CHECK(c[10] == "Block");
}

TEST_CASE("tables: a claim shows capacity and modes only once bound", "[http]") {
  api::PersistentVolumeClaim pvc;
  pvc.metadata.name = "data";
  pvc.metadata.creation_timestamp = ago(90s);
  pvc.spec.access_modes = {"ReadWriteOnce"};
  pvc.spec.resources.requests = {{"storage", qty("1Gi")}};
  pvc.spec.storage_class_name = "standard";
  pvc.status.phase = "Pending";
  CHECK(column_names(api::PersistentVolumeClaim::static_type(), 0) ==
        Names{"Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
              "VolumeAttributesClass", "Age"});
  CHECK(cells(pvc) == json{"data", "Pending", "", "", "", "standard", "<unset>", "90s", "<unset>"});

  pvc.spec.volume_name = "pv-1";
  pvc.status.phase = "Bound";
  pvc.status.capacity = {{"storage", qty("10Gi")}};
  pvc.status.access_modes = {"ReadWriteOnce"};
  CHECK(cells(pvc) ==
        json{"data", "Bound", "pv-1", "10Gi", "RWO", "standard", "<unset>", "90s", "<unset>"});
}
