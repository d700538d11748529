// A pod's life told by its Events, across the scheduler and a kubelet in one cluster, as
// `kubectl describe pod` shows it on Kubernetes: Scheduled, Pulling, Pulled, Created, Started,
// then Killing when it is deleted.
#include <algorithm>

#include "actors/client/blocking_client.hpp"
#include "api/resource_version.hpp"
#include "api/testing/builders.hpp"
#include "telemetry/registry.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

/// The Events about pod `name` (of this very pod: its uid), oldest first as written.
std::vector<std::shared_ptr<const api::Event>> events_of(const std::vector<api::ObjectPtr>& objs,
                                                        const std::string& uid) {
  std::vector<std::shared_ptr<const api::Event>> out;
  for (auto& o : objs)
    if (auto e = api::as<api::Event>(o); e && e->involved_object.uid == uid) out.push_back(e);
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
    return api::parse_resource_version(a->metadata.resource_version).value_or(0) <
           api::parse_resource_version(b->metadata.resource_version).value_or(0);
  });
  return out;
}

bool has_reason(const std::vector<std::shared_ptr<const api::Event>>& events,
                const std::string& reason) {
  return std::any_of(events.begin(), events.end(), [&](auto& e) { return e->reason == reason; });
}

/// The API server's count of open watches on core/v1 `kind` (apiserver_registered_watchers).
int64_t watches_of(const std::string& kind) {
  return telemetry::Registry::global()
      .gauge("apiserver_registered_watchers",
             "Number of currently registered watchers for a given resources",
             {{"group", ""}, {"version", "v1"}, {"kind", kind}})
      .value();
}

}  // namespace

TEST_CASE("no component of a running cluster keeps a watch on Events", "[cluster][events]") {
  // Four Events per pod, kept for the event TTL: an informer on them would hold a decoded
  // copy of each (the namespace controller had one), and the API server keeps them encoded.
  auto options = seeded_options();
  options.nodes = 1;
  auto cluster = Cluster::start(options);
  REQUIRE(cluster);
  auto& c = **cluster;
  REQUIRE(c.wait_nodes_ready(1, kWait));
  REQUIRE(c.client().create(api::testing::make_pod("default", "quiet")).has_value());
  REQUIRE(c.wait_for(
      api::Pod::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        return objs.size() == 1 && api::as<api::Pod>(*objs[0])->status.phase == "Running";
      },
      kWait));
  CHECK(watches_of("Pod") > 0);  // the gauge counts this cluster's watches
  CHECK(watches_of("Event") == 0);
  auto events = c.client().list(api::Event::static_type(), "default");
  REQUIRE(events.has_value());
  CHECK_FALSE(events->items.empty());  // there were Events to watch
}

TEST_CASE("a pod's Events: scheduled, pulled, created, started, killed", "[cluster][events]") {
  auto options = seeded_options();
  options.nodes = 1;
  auto cluster = Cluster::start(options);
  REQUIRE(cluster);
  auto& c = **cluster;
  REQUIRE(c.wait_nodes_ready(1, kWait));

  auto pod = api::testing::make_pod("default", "story");
  pod.spec.containers[0].name = "web";
  pod.spec.containers[0].image = "nginx";  // no tag: always pulled
  auto created = c.client().create(pod);
  REQUIRE(created);
  const auto uid = (*created)->metadata.uid;

  REQUIRE(c.wait_for(api::Event::static_type(),
                     [&](const std::vector<api::ObjectPtr>& objs) { return has_reason(events_of(objs, uid), "Started"); },
                     kWait));
  REQUIRE(c.client().remove(api::Pod::static_type(), "default", "story").has_value());
  std::vector<std::shared_ptr<const api::Event>> events;
  REQUIRE(c.wait_for(api::Event::static_type(),
                     [&](const std::vector<api::ObjectPtr>& objs) {
                       events = events_of(objs, uid);
                       return has_reason(events, "Killing");
                     },
                     kWait));

  // The scheduler's event and the kubelet's are written by two actors, so only the
  // kubelet's are ordered among themselves (one actor's requests arrive in order).
  // A node that has just turned Ready may carry the not-ready taint a moment longer (the node
  // lifecycle controller lifts it), so the scheduler may first report FailedScheduling and
  // retry, as upstream's does: those are left out.
  std::shared_ptr<const api::Event> scheduled;
  std::vector<std::shared_ptr<const api::Event>> kubelet;
  size_t failed_scheduling = 0;
  for (auto& e : events) {
    if (e->reason == "Scheduled") scheduled = e;
    if (e->reason == "FailedScheduling" && e->source.component == "default-scheduler")
      ++failed_scheduling;
    if (e->source.component == "kubelet") kubelet.push_back(e);
  }
  std::string told;
  for (auto& e : events)
    told += e->source.component + "/" + e->reason + ": " + e->message + "\n";
  INFO(told);
  REQUIRE(scheduled);
  CHECK(scheduled->type == "Normal");
  CHECK(scheduled->message == "Successfully assigned default/story to " + c.node_names().at(0));
  CHECK(scheduled->source.component == "default-scheduler");
  CHECK(events.size() == kubelet.size() + 1 + failed_scheduling);
  std::vector<std::string> reasons;
  for (auto& e : kubelet) reasons.push_back(e->reason);
  REQUIRE(reasons == std::vector<std::string>{"Pulling", "Pulled", "Created", "Started", "Killing"});
  CHECK(kubelet[0]->message == "Pulling image \"nginx\"");
  CHECK(kubelet[1]->message.starts_with("Successfully pulled image \"nginx\" in "));
  CHECK(kubelet[2]->message == "Created container: web");
  CHECK(kubelet[3]->message == "Started container web");
  CHECK(kubelet[4]->message == "Stopping container web");
  for (auto& e : kubelet) {
    INFO(e->reason);
    CHECK(e->type == "Normal");
    CHECK(e->source.host == c.node_names().at(0));
    CHECK(e->involved_object.field_path == "spec.containers{web}");
    CHECK(e->involved_object.kind == "Pod");
    CHECK(e->involved_object.name == "story");
  }
}
