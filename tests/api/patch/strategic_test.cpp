// Strategic merge patch: merge keys by kind and path, directives, kubectl's apply patches.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/patch/patch.hpp"

namespace {

using nlohmann::json;
using namespace kactor::api;

json J(const char* text) {
  return json::parse(text);
}

/// Applies `patch_text` to `doc` as a strategic merge patch that must succeed.
json smp(const json& doc, const char* patch_text, std::string_view kind = "Pod") {
  auto out = patch::apply_strategic_merge_patch(doc, J(patch_text), kind);
  if (!out) FAIL("patch failed: " << out.error().code << " " << out.error().message);
  return *out;
}

/// The names of a list of containers (or anything with a name), in order.
std::vector<std::string> names(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.value("name", ""));
  return out;
}

const json kPod = J(R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web", "tier": "fe"},
               "finalizers": ["a.example.com/x", "b.example.com/y"]},
  "spec": {
    "containers": [
      {"name": "web", "image": "nginx:1.25", "args": ["--x", "--y"],
       "ports": [{"containerPort": 80, "protocol": "TCP"}],
       "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
       "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
      {"name": "side", "image": "busybox:1"}
    ],
    "volumes": [{"name": "data", "emptyDir": {}}],
    "tolerations": [{"key": "k1", "operator": "Exists"}],
    "nodeSelector": {"disk": "ssd"}
  },
  "status": {"phase": "Running",
             "conditions": [{"type": "Ready", "status": "False"},
                            {"type": "Initialized", "status": "True"}],
             "podIPs": [{"ip": "10.0.0.5"}]}
})");

}  // namespace

TEST_CASE("strategic patch merges containers by name", "[patch][strategic]") {
  SECTION("update the image of one container") {
    auto out = smp(kPod, R"({"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}})");
    const auto& containers = out["spec"]["containers"];
    CHECK(names(containers) == std::vector<std::string>{"web", "side"});
    CHECK(containers[0]["image"] == "nginx:1.26");
    // The rest of the entry is kept, not replaced.
    CHECK(containers[0]["env"] == kPod["spec"]["containers"][0]["env"]);
    CHECK(containers[0]["args"] == kPod["spec"]["containers"][0]["args"]);
    CHECK(containers[1] == kPod["spec"]["containers"][1]);
  }
  SECTION("add a container: new entries come before the live ones, as upstream orders them") {
    auto out = smp(kPod, R"({"spec":{"containers":[{"name":"log","image":"fluentd"}]}})");
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"log", "web", "side"});
    CHECK(out["spec"]["containers"][0] == J(R"({"name":"log","image":"fluentd"})"));
  }
  SECTION("delete a container with $patch: delete") {
    auto out = smp(kPod, R"({"spec":{"containers":[{"name":"side","$patch":"delete"}]}})");
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"web"});
  }
  SECTION("update, add and delete in one patch") {
    auto out = smp(kPod, R"({"spec":{"containers":[
        {"name":"web","image":"nginx:2"},{"name":"new","image":"x"},
        {"name":"side","$patch":"delete"}]}})");
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"web", "new"});
    CHECK(out["spec"]["containers"][0]["image"] == "nginx:2");
  }
  SECTION("replace the whole list with $patch: replace") {
    auto out = smp(kPod, R"({"spec":{"containers":[{"$patch":"replace"},
                                                    {"name":"only","image":"x"}]}})");
    CHECK(out["spec"]["containers"] == J(R"([{"name":"only","image":"x"}])"));
  }
}

TEST_CASE("strategic patch merges keyed lists inside containers", "[patch][strategic]") {
  SECTION("env by name") {
    auto out = smp(kPod, R"({"spec":{"containers":[{"name":"web",
        "env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}})");
    CHECK(out["spec"]["containers"][0]["env"] ==
          J(R"([{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}])"));
  }
  SECTION("env entry deleted, value cleared with null") {
    auto out = smp(kPod, R"({"spec":{"containers":[{"name":"web",
        "env":[{"name":"A","$patch":"delete"},{"name":"B","value":null}]}]}})");
    CHECK(out["spec"]["containers"][0]["env"] == J(R"([{"name":"B"}])"));
  }
  SECTION("ports by containerPort") {
    auto named = smp(kPod, R"({"spec":{"containers":[{"name":"web",
        "ports":[{"containerPort":80,"name":"http"}]}]}})");
    CHECK(named["spec"]["containers"][0]["ports"] ==
          J(R"([{"containerPort":80,"protocol":"TCP","name":"http"}])"));
    auto added = smp(kPod, R"({"spec":{"containers":[{"name":"web",
        "ports":[{"containerPort":443}]}]}})");
    CHECK(added["spec"]["containers"][0]["ports"] ==
          J(R"([{"containerPort":443},{"containerPort":80,"protocol":"TCP"}])"));
  }
  SECTION("volumeMounts by mountPath, volumes by name") {
    auto out = smp(kPod, R"({"spec":{
        "containers":[{"name":"web","volumeMounts":[{"mountPath":"/data","readOnly":true}]}],
        "volumes":[{"name":"data","emptyDir":{"medium":"Memory"}}]}})");
    CHECK(out["spec"]["containers"][0]["volumeMounts"] ==
          J(R"([{"name":"data","mountPath":"/data","readOnly":true}])"));
    CHECK(out["spec"]["volumes"] == J(R"([{"name":"data","emptyDir":{"medium":"Memory"}}])"));
  }
}

TEST_CASE("strategic patch replaces lists without a merge key", "[patch][strategic]") {
  auto out = smp(kPod, R"({"spec":{"tolerations":[{"key":"k2","operator":"Equal","value":"v"}],
                                   "containers":[{"name":"web","args":["--z"]}]}})");
  CHECK(out["spec"]["tolerations"] == J(R"([{"key":"k2","operator":"Equal","value":"v"}])"));
  CHECK(out["spec"]["containers"][0]["args"] == J(R"(["--z"])"));

  SECTION("kinds without a schema entry replace every list") {
    const json widget = J(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})");
    auto replaced = smp(widget, R"({"spec":{"containers":[{"name":"a","x":1}]}})", "Widget");
    CHECK(replaced["spec"]["containers"] == J(R"([{"name":"a","x":1}])"));
  }
  SECTION("Endpoints subsets are replaced whole") {
    const json ep = J(R"({"subsets":[{"addresses":[{"ip":"1.1.1.1"}]}]})");
    auto replaced = smp(ep, R"({"subsets":[{"addresses":[{"ip":"2.2.2.2"}]}]})", "Endpoints");
    CHECK(replaced["subsets"] == J(R"([{"addresses":[{"ip":"2.2.2.2"}]}])"));
  }
}

TEST_CASE("strategic patch merges status lists", "[patch][strategic]") {
  SECTION("pod conditions by type") {
    auto out = smp(kPod, R"({"status":{"conditions":[{"type":"Ready","status":"True"}],
                                       "podIPs":[{"ip":"fd00::5"}]}})");
    CHECK(out["status"]["conditions"] ==
          J(R"([{"type":"Ready","status":"True"},{"type":"Initialized","status":"True"}])"));
    CHECK(out["status"]["podIPs"] == J(R"([{"ip":"fd00::5"},{"ip":"10.0.0.5"}])"));
  }
  SECTION("node conditions and addresses by type") {
    const json node =
        J(R"({"metadata":{"name":"n1"},"spec":{"taints":[{"key":"a","effect":"NoSchedule"}]},
        "status":{"conditions":[{"type":"Ready","status":"True"},{"type":"MemoryPressure","status":"False"}],
                  "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}]}})");
    auto out = smp(node, R"({"spec":{"taints":[{"key":"b","effect":"NoExecute"}]},
        "status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletDown"}],
                  "addresses":[{"type":"InternalIP","address":"10.0.0.2"}]}})",
                   "Node");
    CHECK(out["status"]["conditions"] ==
          J(R"([{"type":"Ready","status":"False","reason":"KubeletDown"},
                {"type":"MemoryPressure","status":"False"}])"));
    CHECK(out["status"]["addresses"] ==
          J(R"([{"type":"InternalIP","address":"10.0.0.2"},{"type":"Hostname","address":"n1"}])"));
    CHECK(out["spec"]["taints"] == J(R"([{"key":"b","effect":"NoExecute"}])"));
  }
  SECTION("service ports by port") {
    const json svc = J(R"({"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}})");
    auto out = smp(svc, R"({"spec":{"ports":[{"port":80,"targetPort":9090}]}})", "Service");
    CHECK(out["spec"]["ports"] == J(R"([{"port":80,"targetPort":9090},{"port":443}])"));
  }
}

TEST_CASE("strategic patch treats finalizers as a set", "[patch][strategic]") {
  SECTION("union without duplicates") {
    auto out = smp(kPod, R"({"metadata":{"finalizers":["b.example.com/y","c.example.com/z"]}})");
    CHECK(out["metadata"]["finalizers"] ==
          J(R"(["a.example.com/x","b.example.com/y","c.example.com/z"])"));
  }
  SECTION("$deleteFromPrimitiveList removes values") {
    auto out =
        smp(kPod, R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a.example.com/x"]}})");
    CHECK(out["metadata"]["finalizers"] == J(R"(["b.example.com/y"])"));
  }
  SECTION("add and delete together") {
    auto out = smp(kPod, R"({"metadata":{"finalizers":["c.example.com/z"],
        "$deleteFromPrimitiveList/finalizers":["a.example.com/x","b.example.com/y"]}})");
    CHECK(out["metadata"]["finalizers"] == J(R"(["c.example.com/z"])"));
  }
  SECTION("ownerReferences merge by uid") {
    const json doc = J(R"({"metadata":{"ownerReferences":[{"uid":"u1","name":"rs1"}]}})");
    auto out = smp(doc, R"({"metadata":{"ownerReferences":[{"uid":"u1","controller":true}]}})",
                   "ConfigMap");
    CHECK(out["metadata"]["ownerReferences"] ==
          J(R"([{"uid":"u1","name":"rs1","controller":true}])"));
  }
}

TEST_CASE("strategic patch directives on maps", "[patch][strategic]") {
  SECTION("null deletes a key; a null for an absent key is ignored") {
    auto out = smp(kPod, R"({"metadata":{"labels":{"tier":null,"nope":null}},
                             "spec":{"tolerations":null}})");
    CHECK(out["metadata"]["labels"] == J(R"({"app":"web"})"));
    CHECK_FALSE(out["spec"].contains("tolerations"));
  }
  SECTION("$patch: replace on a map") {
    auto out = smp(kPod, R"({"metadata":{"labels":{"$patch":"replace","new":"y"}}})");
    CHECK(out["metadata"]["labels"] == J(R"({"new":"y"})"));
    CHECK(out["metadata"]["name"] == "p");
  }
  SECTION("$patch: delete on a map empties it") {
    auto out = smp(kPod, R"({"spec":{"nodeSelector":{"$patch":"delete"}}})");
    CHECK(out["spec"]["nodeSelector"] == json::object());
  }
  SECTION("$patch: merge is an ordinary merge") {
    auto out = smp(kPod, R"({"metadata":{"labels":{"$patch":"merge","new":"y"}}})");
    CHECK(out["metadata"]["labels"] == J(R"({"app":"web","tier":"fe","new":"y"})"));
  }
  SECTION("$retainKeys clears keys not listed") {
    const json deploy = J(R"({"spec":{"replicas":2,"strategy":{"type":"RollingUpdate",
                              "rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}})");
    auto out = smp(deploy, R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
                   "Deployment");
    CHECK(out["spec"]["strategy"] == J(R"({"type":"Recreate"})"));
    CHECK(out["spec"]["replicas"] == 2);
  }
  SECTION("$retainKeys inside a keyed list entry (a volume changing its source)") {
    auto out = smp(kPod, R"({"spec":{"volumes":[{"name":"data",
        "$retainKeys":["configMap","name"],"configMap":{"name":"cm"}}]}})");
    CHECK(out["spec"]["volumes"] == J(R"([{"name":"data","configMap":{"name":"cm"}}])"));
  }
  SECTION("directives in a value with nothing to merge into are resolved, not stored") {
    const json bare = J(R"({"metadata":{"name":"p"}})");
    auto out = smp(bare, R"({"spec":{"$setElementOrder/containers":[{"name":"a"}],
        "containers":[{"name":"a","image":"x"},{"name":"gone","$patch":"delete"}],
        "nodeSelector":{"$patch":"replace","k":"v"}}})");
    CHECK(out["spec"] == J(R"({"containers":[{"name":"a","image":"x"}],
                              "nodeSelector":{"k":"v"}})"));
  }
}

TEST_CASE("$setElementOrder orders the merged list", "[patch][strategic]") {
  SECTION("reorder without content changes") {
    auto out =
        smp(kPod, R"({"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"web"}]}})");
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"side", "web"});
    CHECK(out["spec"]["containers"][1] == kPod["spec"]["containers"][0]);
  }
  SECTION("a new container placed where the order says") {
    auto out = smp(kPod, R"({"spec":{
        "$setElementOrder/containers":[{"name":"web"},{"name":"log"},{"name":"side"}],
        "containers":[{"name":"log","image":"fluentd"}]}})");
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"web", "log", "side"});
  }
  SECTION("server-only entries keep their place") {
    const json doc =
        J(R"({"spec":{"containers":[{"name":"a"},{"name":"injected"},{"name":"b"}]}})");
    auto out = smp(doc, R"({"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}})");
    // Upstream's interleaving: "injected" stood before "b" in the live list, so it stays first.
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"injected", "b", "a"});
  }
  SECTION("primitive lists") {
    auto out = smp(kPod, R"({"metadata":{
        "$setElementOrder/finalizers":["c.example.com/z","b.example.com/y","a.example.com/x"],
        "finalizers":["c.example.com/z"]}})");
    CHECK(out["metadata"]["finalizers"] ==
          J(R"(["c.example.com/z","b.example.com/y","a.example.com/x"])"));
  }
  SECTION("a patch list out of the order list's order is refused") {
    auto out = patch::apply_strategic_merge_patch(
        kPod, J(R"({"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],
                           "containers":[{"name":"side","image":"a"},{"name":"web","image":"b"}]}})"),
        "Pod");
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error().code == 400);
  }
}

TEST_CASE("strategic patch merges pod templates of controllers", "[patch][strategic]") {
  const json rc = J(R"({"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},
      "spec":{"replicas":1,"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"web","image":"nginx:1","env":[{"name":"A","value":"1"}]},
                              {"name":"side","image":"busybox"}]}}},
      "status":{"replicas":1,"conditions":[{"type":"ReplicaFailure","status":"True"}]}})");
  const char* patch_text = R"({"spec":{"template":{"spec":{"containers":[
      {"name":"web","image":"nginx:2","env":[{"name":"B","value":"2"}]},
      {"name":"side","$patch":"delete"}]}}}})";
  auto out = smp(rc, patch_text, "ReplicationController");
  CHECK(out["spec"]["template"]["spec"]["containers"] == J(R"([{"name":"web","image":"nginx:2",
               "env":[{"name":"B","value":"2"},{"name":"A","value":"1"}]}])"));
  CHECK(out["spec"]["replicas"] == 1);

  // The same patch for a Deployment and (one level deeper) a CronJob.
  json deploy = rc;
  deploy["kind"] = "Deployment";
  CHECK(smp(deploy, patch_text, "Deployment")["spec"]["template"] == out["spec"]["template"]);
  json cronjob = J(R"({"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{}}}})");
  cronjob["spec"]["jobTemplate"]["spec"]["template"] = rc["spec"]["template"];
  auto cj = smp(cronjob, R"({"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[
      {"name":"web","image":"nginx:3"}]}}}}}})",
                "CronJob");
  CHECK(names(cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]) ==
        std::vector<std::string>{"web", "side"});
}

TEST_CASE("kubectl client-side apply patch gives the expected object", "[patch][strategic]") {
  // The live Deployment: created by `kubectl apply`, defaulted by the server, with status.
  const json live = J(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "resourceVersion": "42",
      "generation": 1, "labels": {"app": "web"},
      "annotations": {"deployment.kubernetes.io/revision": "1",
        "kubectl.kubernetes.io/last-applied-configuration": "{\"old\":true}\n"}},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
      "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
      "template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
          "containers": [
            {"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent",
             "ports": [{"containerPort": 80, "protocol": "TCP"}],
             "env": [{"name": "A", "value": "1"}],
             "terminationMessagePath": "/dev/termination-log", "resources": {}},
            {"name": "sidecar", "image": "busybox:1.36", "args": ["sleep", "3600"],
             "imagePullPolicy": "IfNotPresent", "resources": {}}]}}},
    "status": {"replicas": 2, "readyReplicas": 2,
      "conditions": [{"type": "Available", "status": "True"}, {"type": "Progressing", "status": "True"}]}
  })");
  // What kubectl 1.32 sends after the manifest's image changed and an env var was added
  // (CreateThreeWayMergePatch: $setElementOrder for every changed keyed list).
  const char* patch_text = R"({
    "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"new\":true}\n"}},
    "spec": {"template": {"spec": {
      "$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
      "containers": [{"$setElementOrder/env": [{"name": "A"}, {"name": "MODE"}],
                      "env": [{"name": "MODE", "value": "prod"}],
                      "image": "nginx:1.26", "name": "web"}]}}}
  })";
  json expected = live;
  expected["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      "{\"new\":true}\n";
  auto& web = expected["spec"]["template"]["spec"]["containers"][0];
  web["image"] = "nginx:1.26";
  web["env"] = J(R"([{"name":"A","value":"1"},{"name":"MODE","value":"prod"}])");

  auto out =
      patch::apply_patch("application/strategic-merge-patch+json", live, patch_text, "Deployment");
  REQUIRE(out.has_value());
  CHECK(*out == expected);

  SECTION("removing the sidecar from the manifest") {
    // kubectl sends a delete directive and the shortened order list.
    auto removed = smp(live, R"({"spec":{"template":{"spec":{
        "$setElementOrder/containers":[{"name":"web"}],
        "containers":[{"$patch":"delete","name":"sidecar"}]}}}})",
                       "Deployment");
    CHECK(names(removed["spec"]["template"]["spec"]["containers"]) ==
          std::vector<std::string>{"web"});
  }
}

TEST_CASE("malformed strategic patches are bad requests", "[patch][strategic]") {
  struct Bad {
    const char* patch;
    const char* message;  // empty: only the code is checked
  };
  const Bad bad[] = {
      {R"({"metadata":{"labels":{"$patch":"bogus"}}})", ""},
      {R"({"spec":{"containers":[{"name":"web","$patch":"bogus"}]}})", ""},
      {R"({"spec":{"containers":[{"image":"no-name"}]}})",
       R"(map: {"image":"no-name"} does not contain declared merge key: name)"},
      {R"({"spec":{"containers":[{"$patch":"delete"}]}})", ""},
      {R"({"spec":{"$retainKeys":"containers"}})", "invalid patch format of retainKeys"},
      {R"({"spec":{"$retainKeys":["containers"],"nodeName":"n"}})",
       "invalid patch format of retainKeys"},
      {R"({"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}})",
       "invalid patch format of primitive list"},
      {R"({"metadata":{"$deleteFromPrimitiveList":["a"]}})",
       "invalid patch format of primitive list"},
      {R"({"spec":{"$setElementOrder/containers":{"name":"web"}}})",
       "invalid patch format of setElementOrder list"},
      {R"({"metadata":{"finalizers":[{"a":1}]}})", ""},
  };
  for (const auto& b : bad) {
    INFO(b.patch);
    auto out = patch::apply_strategic_merge_patch(kPod, J(b.patch), "Pod");
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error().code == 400);
    CHECK(out.error().reason == "BadRequest");
    if (*b.message) CHECK(out.error().message == b.message);
  }
  auto unknown = patch::apply_strategic_merge_patch(
      kPod, J(R"({"metadata":{"labels":{"$patch":"bogus"}}})"), "Pod");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().message.starts_with("unknown patch type: bogus in map: "));

  auto lists_of_lists =
      patch::apply_strategic_merge_patch(kPod, J(R"({"metadata":{"finalizers":[["a"]]}})"), "Pod");
  REQUIRE_FALSE(lists_of_lists.has_value());
  CHECK(lists_of_lists.error().code == 422);

  auto not_object = patch::apply_strategic_merge_patch(kPod, J(R"("x")"), "Pod");
  REQUIRE_FALSE(not_object.has_value());
  CHECK(not_object.error().code == 400);

  // Go decodes a null patch into an empty map: nothing changes.
  auto null_patch = patch::apply_strategic_merge_patch(kPod, json(nullptr), "Pod");
  REQUIRE(null_patch.has_value());
  CHECK(*null_patch == kPod);
}
