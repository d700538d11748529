// The real kubectl against kactor: what a Kubernetes user types, and what kubectl prints.
#include <algorithm>
#include <regex>

#include <catch2/catch.hpp>

#include "api/types/all.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  auto lines = folded_lines(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
/// The text with runs of spaces folded, so padded columns compare simply.
std::string folded(const std::string& text) {
  std::string out;
  for (const auto& l : folded_lines(text)) out += l + "\n";
  return out;
}

const std::string kWeb = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  replicas: 2
  selector:
    app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
)";

const std::string kPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: solo
  labels: {run: solo}
spec:
  containers:
  - name: c
    image: busybox
)";

/// Waits (with a deadline) until `count` pods with `app=<app>` are Running.
bool pods_running(const ServedCluster& c, const std::string& app, size_t count) {
  return c.cluster->wait_for(kactor::api::Pod::static_type(), [&](const auto& objs) {
    size_t running = 0;
    for (auto& o : objs) {
      auto pod = kactor::api::as<kactor::api::Pod>(*o);
      auto it = pod->metadata.labels.find("app");
      if (it != pod->metadata.labels.end() && it->second == app && pod->status.phase == "Running" &&
          !pod->metadata.deletion_timestamp)
        ++running;
    }
    return running == count;
  });
}

}  // namespace

TEST_CASE("kubectl: get prints the server's columns in every output format") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    auto nodes = k.run({"get", "nodes"});
    REQUIRE(nodes.exit_code == 0);
    CHECK(has_line(nodes.out, "NAME STATUS ROLES AGE VERSION") );
    CHECK(contains(folded_lines(nodes.out).at(1), "node-0 Ready <none>"));
    auto wide = k.run({"get", "nodes", "-o", "wide"});
    CHECK(contains(wide.out, "INTERNAL-IP"));
    CHECK(contains(wide.out, "CONTAINER-RUNTIME"));
    CHECK(k.run({"get", "nodes", "-o", "name"}).out == "node/node-0\nnode/node-1\n");
    CHECK(k.run({"get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"}).out == "node-0 node-1");
    CHECK(contains(k.run({"get", "node", "node-1", "-o", "yaml"}).out, "kind: Node"));
    CHECK(contains(k.run({"get", "node", "node-1", "-o", "json"}).out, "\"kind\": \"Node\""));
    CHECK(has_line(k.run({"get", "namespaces"}).out, "NAME STATUS AGE"));
    auto none = k.run({"get", "pods"});
    CHECK(none.exit_code == 0);
    CHECK(contains(none.err, "No resources found in default namespace."));
  }
}

TEST_CASE("kubectl: apply creates then configures and leaves an unchanged object alone") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    auto created = k.run({"apply", "-f", "-"}, kWeb);
    REQUIRE(created.exit_code == 0);
    CHECK(created.out == "replicationcontroller/web created\nservice/web created\n");
    REQUIRE(pods_running(c, "web", 2));
    // The endpoints controller writes the addresses after it sees the pods ready.
    REQUIRE(c.cluster->wait_for(kactor::api::Endpoints::static_type(), [](const auto& objs) {
      for (auto& o : objs) {
        if (o->metadata.name != "web") continue;
        size_t ready = 0;
        for (const auto& subset : kactor::api::as<kactor::api::Endpoints>(*o)->subsets)
          ready += subset.addresses.size();
        return ready == 2;
      }
      return false;
    }));
    auto pods = k.run({"get", "pods", "-l", "app=web", "-o", "wide"});
    CHECK(folded_lines(pods.out).size() == 3);
    CHECK(contains(folded(pods.out), "1/1 Running"));
    CHECK(contains(k.run({"get", "endpoints", "web"}).out, ":80,"));

    std::string three = kWeb;
    three.replace(three.find("replicas: 2"), 11, "replicas: 3");
    auto configured = k.run({"apply", "-f", "-"}, three);
    REQUIRE(configured.exit_code == 0);
    CHECK(configured.out == "replicationcontroller/web configured\nservice/web unchanged\n");
    CHECK(k.run({"get", "rc", "web", "-o", "jsonpath={.spec.replicas}"}).out == "3");
    REQUIRE(pods_running(c, "web", 3));
    // A manifest in flow style (KYAML) goes the same way.
    auto kyaml = k.run({"apply", "-f", "-"},
                       "---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}, data: {a: \"1\"}}\n");
    CHECK(kyaml.out == "configmap/flow created\n");
  }
}

// kubectl 1.20 runs these only for a kind whose PATCH in /openapi/v2 takes dryRun ("doesn't
// support dry-run" against an empty document); newer kubectls just send dryRun=All.
TEST_CASE("kubectl: diff and server-side dry runs show a change and make none") {
  const std::string settings =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: a}\n";
  std::string changed_settings = settings;
  changed_settings.replace(changed_settings.find("mode: a"), 7, "mode: b");
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    REQUIRE(k.run({"apply", "-f", "-"}, settings).exit_code == 0);
    auto same = k.run({"diff", "-f", "-"}, settings);
    INFO(same.err);
    CHECK(same.exit_code == 0);
    CHECK(same.out.empty());
    auto changed = k.run({"diff", "-f", "-"}, changed_settings);
    INFO(changed.err);
    CHECK(changed.exit_code == 1);  // differences found
    CHECK(has_line(changed.out, "- mode: a"));  // (runs of spaces folded)
    CHECK(has_line(changed.out, "+ mode: b"));
    auto applied = k.run({"apply", "--dry-run=server", "-f", "-"}, changed_settings);
    INFO(applied.err);
    CHECK(applied.exit_code == 0);
    CHECK(applied.out == "configmap/settings configured (server dry run)\n");
    auto created = k.run({"create", "--dry-run=server", "-f", "-"},
                         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n");
    INFO(created.err);
    CHECK(created.out == "configmap/extra created (server dry run)\n");
    CHECK(k.run({"get", "configmap", "settings", "-o", "jsonpath={.data.mode}"}).out == "a");
    CHECK(k.run({"get", "configmap", "extra"}).exit_code == 1);
    // A List, which kubectl 1.32 validates from /openapi/v2 (v3 has no List kind).
    auto listed = k.run({"create", "-f", "-"},
                        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
                        "  metadata: {name: listed}\n");
    INFO(listed.err);
    CHECK(listed.exit_code == 0);
    CHECK(listed.out == "configmap/listed created\n");
  }
}

TEST_CASE("kubectl: create replace patch label annotate scale and delete") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    REQUIRE(k.run({"create", "-f", "-"}, kWeb).exit_code == 0);
    CHECK(k.run({"scale", "rc", "web", "--replicas=1"}).out == "replicationcontroller/web scaled\n");
    CHECK(k.run({"get", "rc", "web", "-o", "jsonpath={.spec.replicas}"}).out == "1");
    CHECK(k.run({"label", "svc", "web", "tier=front"}).out == "service/web labeled\n");
    CHECK(k.run({"annotate", "svc", "web", "note=hi"}).out == "service/web annotated\n");
    CHECK(k.run({"patch", "svc", "web", "-p", R"({"metadata":{"labels":{"a":"b"}}})"}).out ==
          "service/web patched\n");
    CHECK(k.run({"patch", "svc", "web", "--type=merge", "-p", R"({"metadata":{"labels":{"c":"d"}}})"}).out ==
          "service/web patched\n");
    CHECK(k.run({"patch", "svc", "web", "--type=json", "-p",
                 R"([{"op":"remove","path":"/metadata/labels/a"}])"}).out == "service/web patched\n");
    CHECK(k.run({"get", "svc", "web", "--show-labels"}).out.find("c=d,tier=front") != std::string::npos);
    CHECK(k.run({"get", "svc", "web", "-o", "jsonpath={.metadata.annotations.note}"}).out == "hi");

    auto svc = k.run({"get", "svc", "web", "-o", "yaml"});
    std::string replaced = svc.out;
    replaced.replace(replaced.find("note: hi"), 8, "note: replaced");
    CHECK(k.run({"replace", "-f", "-"}, replaced).out == "service/web replaced\n");
    CHECK(k.run({"get", "svc", "web", "-o", "jsonpath={.metadata.annotations.note}"}).out == "replaced");

    auto deleted = k.run({"delete", "svc", "web"});
    CHECK(deleted.out == "service \"web\" deleted\n");
    auto gone = k.run({"get", "svc", "web"});
    CHECK(gone.exit_code == 1);
    CHECK(gone.err == "Error from server (NotFound): services \"web\" not found\n");
  }
}

TEST_CASE("kubectl: errors print as they do against Kubernetes") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    auto missing = k.run({"get", "pod", "nosuch"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err == "Error from server (NotFound): pods \"nosuch\" not found\n");
    REQUIRE(k.run({"create", "-f", "-"}, kPod).exit_code == 0);
    auto again = k.run({"create", "-f", "-"}, kPod);
    CHECK(again.exit_code == 1);
    CHECK(contains(again.err, "Error from server (AlreadyExists): error when creating \"STDIN\": pods \"solo\" already exists"));
    auto invalid = k.run({"create", "-f", "-"},
                         "apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec: {containers: []}\n");
    CHECK(invalid.exit_code == 1);
    CHECK(contains(invalid.err, "The Pod \"Bad_Name\" is invalid: "));
    auto unknown = k.run({"create", "-f", "-"},
                         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\ndataa: {a: b}\n");
    if (k.minor() >= 27) {
      // kubectl 1.27+ asks the server to refuse unknown fields (?fieldValidation=Strict).
      CHECK(unknown.exit_code == 1);
      CHECK(contains(unknown.err, "unknown field \"dataa\""));
    } else {
      // kubectl 1.20 validates on the client from /openapi/v2's definitions, of which kactor
      // serves none, and sends no fieldValidation: the server's default, Warn, takes the
      // object and says so.
      CHECK(unknown.exit_code == 0);
      CHECK(contains(unknown.err, "Warning: unknown field \"dataa\""));
    }
  }
}

TEST_CASE("kubectl: get -w streams the changes to a pod") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    RunningProcess watch(k.argv({"get", "pods", "-w"}), k.env());
    REQUIRE(k.run({"create", "-f", "-"}, kPod).exit_code == 0);
    bool saw_running = false;
    while (auto line = watch.next_line(30s)) {
      UNSCOPED_INFO(*line);
      if (contains(*line, "solo") && contains(folded_lines(*line).at(0), "Running")) {
        saw_running = true;
        break;
      }
    }
    CHECK(saw_running);
    watch.stop();
  }
}

TEST_CASE("kubectl: describe shows pods nodes services and replication controllers") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    REQUIRE(k.run({"create", "-f", "-"}, kWeb).exit_code == 0);
    REQUIRE(pods_running(c, "web", 2));
    // The scheduler's and the kubelets' Events are written asynchronously: wait for them.
    REQUIRE(c.cluster->wait_for(kactor::api::Event::static_type(), [](const auto& objs) {
      int scheduled = 0, started = 0;
      for (auto& o : objs) {
        auto e = kactor::api::as<kactor::api::Event>(*o);
        scheduled += e->reason == "Scheduled";
        started += e->reason == "Started";
      }
      return scheduled == 2 && started == 2;
    }));
    auto pod = k.run({"describe", "pods", "-l", "app=web"});
    CHECK(pod.exit_code == 0);
    CHECK(contains(folded(pod.out), "Status: Running"));
    CHECK(contains(folded(pod.out), "Controlled By: ReplicationController/web"));
    // A pod's story, as on Kubernetes: scheduled, then the kubelet's image and container steps.
    INFO(pod.out);
    CHECK(std::regex_search(pod.out, std::regex("Normal +Scheduled +.* +default-scheduler +"
                                                "Successfully assigned default/web-[a-z0-9]+ to "
                                                "node-[01]")));
    CHECK(std::regex_search(pod.out,
                            std::regex("Normal +Started +.* +kubelet(, node-[01])? +Started container nginx")));
    auto node = k.run({"describe", "node", "node-0"});
    CHECK(node.exit_code == 0);
    CHECK(contains(node.out, "Non-terminated Pods:"));
    auto svc = k.run({"describe", "svc", "web"});
    CHECK(contains(svc.out, "Endpoints:"));
    auto rc = k.run({"describe", "rc", "web"});
    CHECK(contains(folded(rc.out), "Pods Status: 2 Running"));
    CHECK(contains(rc.out, "SuccessfulCreate"));  // the controller's events are shown
  }
}

TEST_CASE("kubectl: discovery commands and explain") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    auto resources = k.run({"api-resources"});
    CHECK(resources.exit_code == 0);
    CHECK(has_line(resources.out, "pods po v1 true Pod"));
    CHECK(has_line(resources.out, "deployments deploy apps/v1 true Deployment"));
    auto versions = k.run({"api-versions"});
    CHECK(has_line(versions.out, "v1"));
    CHECK(has_line(versions.out, "apps/v1"));
    auto version = k.run({"version"});
    CHECK(version.exit_code == 0);
    CHECK(contains(version.out, "v1.32.0-kactor"));
    if (k.minor() >= 27) {  // explain reads /openapi/v3; kubectl 1.20 /openapi/v2 (no schemas)
      auto explain = k.run({"explain", "pods"});
      CHECK(explain.exit_code == 0);
      CHECK(contains(explain.out, "KIND:"));
      CHECK(contains(explain.out, "Pod"));
    }
  }
}

TEST_CASE("kubectl: auth can-i says yes to everything and whoami names the user") {
  // kactor has no authorization (docs/http.md): every authenticated user may do everything.
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    auto can = k.run({"auth", "can-i", "create", "pods"});
    CHECK(can.exit_code == 0);
    CHECK(can.out == "yes\n");
    CHECK(k.run({"auth", "can-i", "delete", "deployments.apps", "-n", "team"}).out == "yes\n");
    CHECK(k.run({"auth", "can-i", "get", "/healthz"}).out == "yes\n");
    auto rules = k.run({"auth", "can-i", "--list"});
    CHECK(rules.exit_code == 0);
    CHECK(has_line(rules.out, "Resources Non-Resource URLs Resource Names Verbs"));
    CHECK(has_line(rules.out, "*.* [] [] [*]"));
    if (k.minor() >= 28) {  // whoami's SelfSubjectReview is authentication.k8s.io/v1 from 1.28
      auto who = k.run({"auth", "whoami"});
      CHECK(who.exit_code == 0);
      CHECK(has_line(who.out, "Username kactor-admin"));
      CHECK(has_line(who.out, "Groups [system:masters system:authenticated]"));
    }
  }
}

TEST_CASE("kubectl: cordon and uncordon a node") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    CHECK(k.run({"cordon", "node-1"}).out == "node/node-1 cordoned\n");
    CHECK(contains(k.run({"get", "node", "node-1"}).out, "Ready,SchedulingDisabled"));
    CHECK(k.run({"uncordon", "node-1"}).out == "node/node-1 uncordoned\n");
    CHECK(k.run({"get", "node", "node-1", "-o", "jsonpath={.spec.unschedulable}"}).out.empty());
  }
}

TEST_CASE("kubectl: delete waits until a pod is gone and selectors pick what get shows") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    REQUIRE(k.run({"create", "-f", "-"}, kPod).exit_code == 0);
    REQUIRE(k.run({"create", "-f", "-"}, "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n").exit_code == 0);
    // The kubelet starts the pod after create has answered: wait for it before reading its row.
    REQUIRE(c.cluster->wait_for(kactor::api::Pod::static_type(), [](const auto& objs) {
      for (auto& o : objs)
        if (o->metadata.name == "solo" && kactor::api::as<kactor::api::Pod>(*o)->status.phase == "Running")
          return true;
      return false;
    }));
    auto all = k.run({"get", "pods", "-A", "--field-selector", "metadata.namespace=default"});
    CHECK(contains(folded(all.out), "default solo 1/1 Running"));
    CHECK(folded_lines(k.run({"get", "pods", "-l", "run=solo", "-o", "name"}).out).size() == 1);
    CHECK(k.run({"get", "pods", "-l", "run=other", "-o", "name"}).out.empty());
    auto deleted = k.run({"delete", "pod", "solo", "--wait=true"});
    CHECK(deleted.exit_code == 0);
    CHECK(deleted.out == "pod \"solo\" deleted\n");
    CHECK(k.run({"get", "pod", "solo"}).exit_code == 1);
  }
}

TEST_CASE("kubectl: typed create commands and run make their objects") {
  // kubectl 1.32 sends these bodies as protobuf, kubectl 1.20 as JSON.
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    CHECK(k.run({"create", "namespace", "team"}).out == "namespace/team created\n");
    CHECK(k.run({"create", "configmap", "cfg", "--from-literal=a=b"}).out == "configmap/cfg created\n");
    CHECK(k.run({"create", "secret", "generic", "sec", "--from-literal=k=v"}).out == "secret/sec created\n");
    CHECK(k.run({"get", "secret", "sec", "-o", "jsonpath={.data.k}"}).out == "dg==");
    CHECK(k.run({"create", "serviceaccount", "robot"}).out == "serviceaccount/robot created\n");
    CHECK(k.run({"create", "service", "clusterip", "front", "--tcp=80:8080"}).out == "service/front created\n");
    CHECK(k.run({"get", "svc", "front", "-o", "jsonpath={.spec.ports[0].targetPort}"}).out == "8080");
    CHECK(k.run({"create", "deployment", "dep", "--image=nginx"}).out == "deployment.apps/dep created\n");
    auto run = k.run({"run", "one", "--image=busybox", "--restart=Never"});
    CHECK(run.out == "pod/one created\n");
    CHECK(contains(k.run({"get", "cm", "cfg", "-o", "jsonpath={.data.a}"}).out, "b"));
    CHECK(has_line(k.run({"get", "ns", "team"}).out, "NAME STATUS AGE"));
  }
}

TEST_CASE("kubectl: logs prints a container's log and its errors") {
  const std::string chatty = R"(apiVersion: v1
kind: Pod
metadata:
  name: chatty
  annotations:
    kactor.io/log: "every 100ms: line {n}"
spec:
  containers:
  - name: app
    image: busybox
  - name: side
    image: busybox
)";
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    REQUIRE(k.run({"create", "-f", "-"}, chatty).exit_code == 0);
    REQUIRE(c.cluster->wait_for(kactor::api::Pod::static_type(), [](const auto& objs) {
      for (auto& o : objs)
        if (o->metadata.name == "chatty" && kactor::api::as<kactor::api::Pod>(*o)->status.phase == "Running")
          return true;
      return false;
    }));
    auto both = k.run({"logs", "chatty"});
    if (k.minor() >= 27) {
      // Newer kubectl picks the first container itself and says so.
      CHECK(both.exit_code == 0);
      CHECK(contains(both.err, "Defaulted container \"app\" out of: app, side"));
    } else {
      // kubectl 1.20 asks without a container: the server's 400, as upstream words it.
      CHECK(both.exit_code == 1);
      CHECK(contains(both.err, "a container name must be specified for pod chatty, choose one of: [app side]"));
    }
    auto app = k.run({"logs", "chatty", "-c", "app"});
    CHECK(app.exit_code == 0);
    CHECK_FALSE(app.out.empty());
    // The annotation writes a line every 100 ms: a follow sees one arrive.
    RunningProcess follow(k.argv({"logs", "-f", "chatty", "-c", "side"}), k.env());
    bool saw_line = false;
    while (auto line = follow.next_line(30s))
      if (contains(*line, "line ")) {
        saw_line = true;
        break;
      }
    CHECK(saw_line);
    follow.stop();
    auto tail = k.run({"logs", "chatty", "-c", "app", "--tail", "1"});
    CHECK(folded_lines(tail.out).size() == 1);
    auto missing = k.run({"logs", "nosuch"});
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "pods \"nosuch\" not found"));
  }
}
