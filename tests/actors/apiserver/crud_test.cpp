// API server: create/get/list/update/status/patch/bind with upstream Status shapes.
#include "tests/support/api_fixture.hpp"

#include "actors/client/requests.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("the default namespaces and system priority classes exist from the start",
          "[apiserver]") {
  ApiFixture f;
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    auto got = f.client->get<api::Namespace>("", ns);
    REQUIRE(got.has_value());
    CHECK((*got)->status.phase == "Active");
  }
  auto pc = f.client->get<api::PriorityClass>("", "system-node-critical");
  REQUIRE(pc.has_value());
  CHECK((*pc)->value == 2000001000);
}

TEST_CASE("create fills server metadata and get returns the stored object", "[apiserver]") {
  ApiFixture f;
  auto created = f.client->create(make_pod("default", "web"));
  REQUIRE(created.has_value());
  const auto& meta = (*created)->metadata;
  CHECK_FALSE(meta.uid.empty());
  CHECK_FALSE(meta.resource_version.empty());
  CHECK(meta.creation_timestamp.value == test_epoch());
  CHECK((*created)->spec.restart_policy == "Always");
  CHECK((*created)->status.phase == "Pending");
  CHECK((*created)->status.qos_class == "BestEffort");

  auto got = f.client->get<api::Pod>("default", "web");
  REQUIRE(got.has_value());
  CHECK(**got == **created);
}

TEST_CASE("generateName gives a unique name with a random suffix", "[apiserver]") {
  ApiFixture f;
  auto pod = make_pod("default", "");
  pod.metadata.generate_name = "web-";
  auto a = f.client->create(pod);
  auto b = f.client->create(pod);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK((*a)->metadata.name.starts_with("web-"));
  CHECK((*a)->metadata.name.size() == 9);
  CHECK((*a)->metadata.name != (*b)->metadata.name);
}

TEST_CASE("errors carry upstream reasons, codes and messages", "[apiserver]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());

  auto dup = f.client->create(make_pod("default", "web"));
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().code == 409);
  CHECK(dup.error().reason == "AlreadyExists");
  CHECK(dup.error().message == "pods \"web\" already exists");

  auto missing = f.client->get<api::Pod>("default", "nope");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == 404);
  CHECK(missing.error().reason == "NotFound");
  CHECK(missing.error().message == "pods \"nope\" not found");

  auto bad = make_pod("default", "broken");
  bad.spec.containers.clear();
  auto invalid = f.client->create(bad);
  REQUIRE_FALSE(invalid.has_value());
  CHECK(invalid.error().code == 422);
  CHECK(invalid.error().reason == "Invalid");
  CHECK(invalid.error().message.starts_with("Pod \"broken\" is invalid: "));
  REQUIRE_FALSE(invalid.error().details.causes.empty());
  CHECK(invalid.error().details.causes[0].field == "spec.containers");
  CHECK(invalid.error().details.causes[0].reason == "FieldValueRequired");
}

TEST_CASE("an update with a stale resourceVersion is a Conflict", "[apiserver]") {
  ApiFixture f;
  auto created = f.client->create(make_pod("default", "web"));
  REQUIRE(created.has_value());
  api::Pod first = **created;
  first.metadata.labels["v"] = "1";
  auto updated = f.client->update(first);
  REQUIRE(updated.has_value());
  CHECK((*updated)->metadata.resource_version != first.metadata.resource_version);

  api::Pod stale = **created;  // still carries the old resourceVersion
  stale.metadata.labels["v"] = "2";
  auto conflict = f.client->update(stale);
  REQUIRE_FALSE(conflict.has_value());
  CHECK(conflict.error().code == 409);
  CHECK(conflict.error().reason == "Conflict");
  CHECK(conflict.error().message ==
        "Operation cannot be fulfilled on pods \"web\": the object has been modified; please "
        "apply your changes to the latest version and try again");
}

TEST_CASE("the status subresource: each update path changes only its half", "[apiserver]") {
  ApiFixture f;
  api::ReplicationController rc;
  rc.metadata.namespace_ = "default";
  rc.metadata.name = "rc";
  rc.spec.replicas = 2;
  rc.spec.selector = {{"app", "web"}};
  api::PodTemplateSpec tmpl;
  tmpl.metadata.labels = {{"app", "web"}};
  tmpl.spec = make_pod("", "").spec;
  rc.spec.template_ = tmpl;
  auto created = f.client->create(rc);
  REQUIRE(created.has_value());
  CHECK((*created)->metadata.generation == 1);

  // update_status: status changes, spec edits are ignored, generation stays.
  auto s = **created;
  s.status.replicas = 2;
  s.spec.replicas = 7;
  auto after_status = f.client->update_status(s);
  REQUIRE(after_status.has_value());
  auto rc1 = api::as<api::ReplicationController>(*after_status);
  CHECK(rc1->status.replicas == 2);
  CHECK(rc1->spec.replicas == 2);
  CHECK(rc1->metadata.generation == 1);

  // update: spec changes and generation bumps, status edits are ignored.
  auto u = *rc1;
  u.spec.replicas = 3;
  u.status.replicas = 99;
  auto after_update = f.client->update(u);
  REQUIRE(after_update.has_value());
  auto rc2 = api::as<api::ReplicationController>(*after_update);
  CHECK(rc2->spec.replicas == 3);
  CHECK(rc2->status.replicas == 2);
  CHECK(rc2->metadata.generation == 2);

  // A metadata-only change does not bump the generation.
  auto m = *rc2;
  m.metadata.labels["team"] = "a";
  auto after_meta = f.client->update(m);
  REQUIRE(after_meta.has_value());
  CHECK((*after_meta)->metadata.generation == 2);
}

TEST_CASE("patches: merge, JSON patch and strategic merge", "[apiserver]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web", {{"a", "1"}})).has_value());
  const auto& pods = api::Pod::static_type();

  auto merged = f.client->patch(pods, "default", "web", "application/merge-patch+json",
                                R"({"metadata":{"labels":{"b":"2","a":null}}})");
  REQUIRE(merged.has_value());
  CHECK((*merged)->metadata.labels == std::map<std::string, std::string>{{"b", "2"}});

  auto json_patched = f.client->patch(pods, "default", "web", "application/json-patch+json",
                                      R"([{"op":"add","path":"/metadata/labels/c","value":"3"}])");
  REQUIRE(json_patched.has_value());
  CHECK((*json_patched)->metadata.labels.at("c") == "3");

  auto strategic = f.client->patch(
      pods, "default", "web", "application/strategic-merge-patch+json",
      R"({"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]}})");
  REQUIRE(strategic.has_value());
  auto pod = api::as<api::Pod>(*strategic);
  REQUIRE(pod->spec.containers.size() == 1);
  CHECK(pod->spec.containers[0].image == "nginx:1.26");

  auto bad = f.client->patch(pods, "default", "web", "application/merge-patch+json", "{not json");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == 400);

  auto unknown = f.client->patch(pods, "default", "web", "text/plain", "{}");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == 415);
}

TEST_CASE("list with selectors, limit and continue", "[apiserver]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_namespace("other")).has_value());
  for (int i = 0; i < 5; ++i)
    REQUIRE(f.client->create(make_pod("default", "p" + std::to_string(i),
                                      {{"tier", i % 2 ? "back" : "front"}}))
                .has_value());
  REQUIRE(f.client->create(make_pod("other", "x", {{"tier", "front"}})).has_value());

  auto all = f.client->list<api::Pod>();
  REQUIRE(all.has_value());
  CHECK(all->items.size() == 6);

  client::ListOptions front;
  front.label_selector = "tier=front";
  auto in_default = f.client->list<api::Pod>("default", front);
  REQUIRE(in_default.has_value());
  CHECK(in_default->items.size() == 3);

  client::ListOptions by_name;
  by_name.field_selector = "metadata.name=x";
  auto named = f.client->list<api::Pod>("", by_name);
  REQUIRE(named.has_value());
  REQUIRE(named->items.size() == 1);
  CHECK(named->items[0]->metadata.namespace_ == "other");

  client::ListOptions bad_field;
  bad_field.field_selector = "spec.bogus=1";
  auto refused = f.client->list<api::Pod>("", bad_field);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 400);
  CHECK(refused.error().message == "field label not supported: spec.bogus");

  client::ListOptions page;
  page.limit = 2;
  std::vector<std::string> names;
  for (int guard = 0; guard < 10; ++guard) {
    auto r = f.client->list<api::Pod>("default", page);
    REQUIRE(r.has_value());
    CHECK(r->items.size() <= 2);
    for (auto& p : r->items) names.push_back(p->metadata.name);
    if (r->continue_token.empty()) break;
    page.continue_token = r->continue_token;
  }
  CHECK(names == std::vector<std::string>{"p0", "p1", "p2", "p3", "p4"});
}

TEST_CASE("binding assigns a node once", "[apiserver]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());
  auto bound = f.client->bind("default", "web", "node-1");
  REQUIRE(bound.has_value());
  auto pod = api::as<api::Pod>(*bound);
  CHECK(pod->spec.node_name == "node-1");
  REQUIRE(pod->status.condition("PodScheduled"));
  CHECK(pod->status.condition("PodScheduled")->status == "True");

  auto again = f.client->bind("default", "web", "node-2");
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().reason == "Conflict");
  CHECK(again.error().message ==
        "Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to "
        "node \"node-1\"");
}

TEST_CASE("binding is pods' subresource and finalizing namespaces' only", "[apiserver]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());
  // A Binding sent as a subresource of a Node (a node may write its own Node) binds nothing.
  auto via_node = client::binding_request("default", "web", "node-1");
  via_node.resource = "nodes";
  via_node.namespace_.clear();
  via_node.name = "node-1";
  auto refused = f.client->call(via_node);
  REQUIRE(refused.error.has_value());
  CHECK(refused.error->code == 404);
  CHECK(api::as<api::Pod>(*f.client->get<api::Pod>("default", "web"))->spec.node_name.empty());

  REQUIRE(f.client->create(make_namespace("team")).has_value());
  apiserver::Request fin;
  fin.verb = apiserver::Verb::finalize;
  fin.resource = "pods";
  fin.namespace_ = "default";
  fin.name = "team";
  auto ns = std::make_shared<api::Namespace>();
  ns->metadata.name = "team";
  fin.object = ns;
  auto not_finalized = f.client->call(fin);
  REQUIRE(not_finalized.error.has_value());
  CHECK(not_finalized.error->code == 404);
  auto team = f.client->get<api::Namespace>("", "team");
  REQUIRE(team.has_value());
  CHECK(api::as<api::Namespace>(*team)->spec.finalizers == std::vector<std::string>{"kubernetes"});
}

TEST_CASE("admission: priority classes and default tolerations", "[apiserver][admission]") {
  ApiFixture f;
  auto critical = make_pod("default", "critical");
  critical.spec.priority_class_name = "system-node-critical";
  auto created = f.client->create(critical);
  REQUIRE(created.has_value());
  auto pod = api::as<api::Pod>(*created);
  CHECK(pod->spec.priority == 2000001000);
  CHECK(pod->spec.preemption_policy == "PreemptLowerPriority");
  REQUIRE(pod->spec.tolerations.size() == 2);
  CHECK(pod->spec.tolerations[0].key == "node.kubernetes.io/not-ready");
  CHECK(pod->spec.tolerations[0].toleration_seconds == 300);
  CHECK(pod->spec.tolerations[1].key == "node.kubernetes.io/unreachable");

  auto unknown = make_pod("default", "unknown");
  unknown.spec.priority_class_name = "gold";
  auto refused = f.client->create(unknown);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().message ==
        "pods \"unknown\" is forbidden: no PriorityClass with name gold was found");

  auto plain = f.client->create(make_pod("default", "plain"));
  REQUIRE(plain.has_value());
  CHECK(api::as<api::Pod>(*plain)->spec.priority == 0);
}

TEST_CASE("an update whose resourceVersion does not parse is a 400, not a conflict",
          "[apiserver][crud]") {
  ApiFixture f;
  auto created = f.client->create(make_pod("default", "p"));
  REQUIRE(created.has_value());
  api::Pod changed = **created;
  changed.metadata.resource_version = "abc";
  changed.metadata.labels["x"] = "y";
  auto r = f.client->update(changed);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == 400);
}

TEST_CASE("a pod status update is validated as a status update", "[apiserver]") {
  ApiFixture f;
  auto created = f.client->create(make_pod("default", "web"));
  REQUIRE(created.has_value());
  auto pod = **created;
  pod.status.pod_ip = "10.244.0.300";
  auto refused = f.client->update_status(pod);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 422);
  REQUIRE(refused.error().details.causes.size() == 1);
  CHECK(refused.error().details.causes[0].field == "status.podIPs[0]");
  // Nothing was written: the stored pod has no IP.
  auto stored = f.client->get<api::Pod>("default", "web");
  REQUIRE(stored.has_value());
  CHECK((*stored)->status.pod_ip.empty());

  pod.status.pod_ip = "10.244.0.3";
  auto accepted = f.client->update_status(pod);
  REQUIRE(accepted.has_value());
  CHECK(api::as<api::Pod>(*accepted)->status.pod_ip == "10.244.0.3");
}
