// Mutual TLS between role processes (docs/multi-host.md "Security"): two actor systems over
// loopback through CAF's OpenSSL module with certificates from ensure_role_pki (`kactor certs`);
// the gate binds each connection to the identity it proves and applies NodeRestriction.
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include <unistd.h>

#include <filesystem>

#include "actors/http/role_pki.hpp"
#include "actors/apiserver/protocol/batch.hpp"
#include "actors/remote/messages.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "actors/remote/tls/credentials.hpp"
#include "actors/remote/tls/gate.hpp"
#include "actors/remote/tls/proof.hpp"
#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/apiserver/protocol/token_request.hpp"
#include "api/types/authentication.hpp"
#include "api/types/coordination.hpp"
#include "api/types/config.hpp"
#include "api/types/eviction.hpp"
#include "runtime/real_clock.hpp"
#include "runtime/tls_actor_system.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::testing;
namespace fs = std::filesystem;

namespace {

/// A PKI directory of its own under the temp directory, removed at the end.
struct PkiDir {
  explicit PkiDir(const std::vector<std::string>& nodes,
                  TimePoint at = std::chrono::system_clock::now()) {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("kactor-tls-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    auto made = http::ensure_role_pki(path, {{}, nodes}, at);
    INFO((made ? "" : made.error().message));
    REQUIRE(made);
  }
  ~PkiDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  runtime::TlsConfig tls(std::string_view stem) const {
    return {http::certificate_path(path, stem).string(), http::key_path(path, stem).string(),
            (path / http::kCaCertFile).string()};
  }
  fs::path path;
};

/// `kactor apiserver` with mutual TLS: the gate published through CAF's OpenSSL module.
struct TlsServer {
  explicit TlsServer(const PkiDir& pki) : system(2, pki.tls("apiserver")) {
    runtime::ControlPlaneOptions o;
    o.clock = &clock;
    auto started = runtime::ControlPlane::start(system.get(), o);
    REQUIRE(started.has_value());
    plane = std::move(*started);
    client = std::make_unique<client::BlockingClient>(system.get(), plane->apiserver());
    auto creds = remote::tls::load_role_credentials(pki.path, {"apiserver"}, wall.now());
    REQUIRE(creds);
    gate = remote::tls::spawn_gate(system.get(), plane->apiserver(), {std::move(creds->ca), &wall});
    auto published = caf::openssl::publish(gate, 0, "127.0.0.1", true);
    REQUIRE(static_cast<bool>(published));
    port = *published;
  }
  ~TlsServer() { caf::anon_send_exit(gate, caf::exit_reason::user_shutdown); }

  runtime::TlsActorSystem system;
  VirtualClock clock{test_epoch()};
  runtime::RealClock wall;  // certificates are checked against the wall clock, as in production
  std::unique_ptr<runtime::ControlPlane> plane;
  std::unique_ptr<client::BlockingClient> client;
  caf::actor gate;
  uint16_t port = 0;
};

/// A role process: the stand-in over mutual TLS, proving the identities of `stems` (none: it
/// connects but proves nothing).
struct TlsRole {
  TlsRole(const PkiDir& pki, const std::vector<std::string>& stems, uint16_t port,
          bool prove = true)
      : system(2, pki.tls(stems.front())) {
    remote::RemoteApiServerOptions o;
    o.port = port;
    o.tls = true;
    o.seed = test_seed("tls role");
    if (prove) {
      auto creds = remote::tls::load_role_credentials(pki.path, stems, clock.now());
      REQUIRE(creds);
      o.prove = remote::tls::prover(std::move(creds->identities));
    }
    handle = remote::spawn_remote_apiserver(system.get(), clock, o);
    connected = remote::wait_connected(system.get(), handle, std::chrono::seconds(15));
    client = std::make_unique<client::BlockingClient>(system.get(), handle, std::chrono::seconds(10));
  }
  ~TlsRole() { caf::anon_send_exit(handle, caf::exit_reason::user_shutdown); }

  runtime::TlsActorSystem system;
  runtime::RealClock clock;
  caf::actor handle;
  bool connected = false;
  std::unique_ptr<client::BlockingClient> client;
};

api::Pod bound_pod(const std::string& name, const std::string& node) {
  auto pod = make_pod("default", name);
  pod.spec.node_name = node;
  return pod;
}

api::Lease node_lease(const std::string& name) {
  api::Lease lease;
  lease.metadata.namespace_ = "kube-node-lease";
  lease.metadata.name = name;
  lease.spec.holder_identity = name;
  return lease;
}

/// The stored object `name`, written back through `role` as a status update.
template <class T>
api::Result<api::ObjectPtr> write_status(TlsServer& server, TlsRole& role, const std::string& ns,
                                         const std::string& name) {
  auto current = server.client->get<T>(ns, name);
  REQUIRE(current);
  return role.client->update_status(**current);
}

}  // namespace

TEST_CASE("mutual TLS: a node may write its own Node, Lease and bound pods' status, nothing else",
          "[remote]") {
  PkiDir pki({"a", "b"});
  TlsServer server(pki);
  for (auto name : {"a", "b"}) REQUIRE(server.client->create(make_node(name)));
  REQUIRE(server.client->create(bound_pod("pa", "a")));
  REQUIRE(server.client->create(bound_pod("pb", "b")));

  TlsRole node_a(pki, {http::node_stem("a")}, server.port);
  REQUIRE(node_a.connected);

  // Reads of other Nodes pass (kube-proxy watches them all).
  CHECK(node_a.client->get<api::Node>("", "b"));
  // Its own Node, Lease and bound pod's status.
  CHECK(write_status<api::Node>(server, node_a, "", "a"));
  CHECK(node_a.client->create(node_lease("a")));
  CHECK(write_status<api::Pod>(server, node_a, "default", "pa"));

  // Another node's: 403 with upstream's messages.
  auto other_node = write_status<api::Node>(server, node_a, "", "b");
  REQUIRE(!other_node);
  CHECK(other_node.error().code == 403);
  CHECK(other_node.error().message ==
        "nodes \"b\" is forbidden: node \"a\" is not allowed to modify node \"b\"");
  auto other_lease = node_a.client->create(node_lease("b"));
  REQUIRE(!other_lease);
  CHECK(other_lease.error().message ==
        "leases.coordination.k8s.io \"b\" is forbidden: can only access node lease with the "
        "same name as the requesting node");
  auto other_pod = write_status<api::Pod>(server, node_a, "default", "pb");
  REQUIRE(!other_pod);
  CHECK(other_pod.error().message ==
        "pods \"pb\" is forbidden: node \"a\" can only update pod status for pods with "
        "spec.nodeName set to itself");
  auto deleted = node_a.client->remove(api::Pod::static_type(), "default", "pb");
  REQUIRE(!deleted);
  CHECK(deleted.error().code == 403);
  CHECK(server.client->get<api::Pod>("default", "pb"));
  // Anything else a node has no business writing: the authorizer's message.
  auto ns = node_a.client->create(make_namespace("mine"));
  REQUIRE(!ns);
  CHECK(ns.error().message ==
        "namespaces \"mine\" is forbidden: User \"system:node:a\" cannot create resource "
        "\"namespaces\" in API group \"\" at the cluster scope");

  // A component passes as in process: the controller manager may write node b.
  TlsRole manager(pki, {std::string(http::kControllerManagerStem)}, server.port);
  REQUIRE(manager.connected);
  CHECK(write_status<api::Node>(server, manager, "", "b"));
}

TEST_CASE("mutual TLS: a node keeps its hands off its taints and Kubernetes labels",
          "[remote]") {
  PkiDir pki({"c"});
  TlsServer server(pki);
  TlsRole node_c(pki, {http::node_stem("c")}, server.port);
  REQUIRE(node_c.connected);
  const auto& type = api::Node::static_type();
  const std::string merge = "application/merge-patch+json";

  auto role_labelled = make_node("c");
  role_labelled.metadata.labels["node-role.kubernetes.io/worker"] = "";
  auto refused = node_c.client->create(role_labelled);
  REQUIRE(!refused);
  CHECK(refused.error().code == 403);
  CHECK(refused.error().message ==
        "nodes \"c\" is forbidden: node \"c\" is not allowed to set the following labels: "
        "node-role.kubernetes.io/worker");
  auto mine = make_node("c");
  mine.metadata.labels["example.com/x"] = "1";
  REQUIRE(node_c.client->create(mine));

  // An administrator taints the node and gives it a role.
  auto admin = *server.client->get<api::Node>("", "c");
  auto tainted = *admin;
  tainted.spec.taints.push_back({"maintenance", "planned", "NoSchedule", std::nullopt});
  tainted.metadata.labels["node-role.kubernetes.io/worker"] = "";
  REQUIRE(server.client->update(tainted));

  // Labels of its own it may change, through a patch or an update without a version.
  REQUIRE(node_c.client->patch(type, "", "c", merge, R"({"metadata":{"labels":{"example.com/y":"1"}}})"));
  auto fresh = *server.client->get<api::Node>("", "c");
  CHECK(fresh->metadata.labels.at("example.com/y") == "1");
  auto relabelled = *fresh;
  relabelled.metadata.labels["example.com/x"] = "2";
  relabelled.metadata.resource_version.clear();
  REQUIRE(node_c.client->update(relabelled));
  CHECK(server.client->get<api::Node>("", "c").value()->metadata.labels.at("example.com/x") == "2");

  // Not the taint, nor the role.
  auto untaint = node_c.client->patch(type, "", "c", "application/json-patch+json",
                                      R"([{"op":"remove","path":"/spec/taints/0"}])");
  REQUIRE(!untaint);
  CHECK(untaint.error().message ==
        "nodes \"c\" is forbidden: node \"c\" is not allowed to modify taints");
  auto unrole = node_c.client->patch(type, "", "c", merge,
                                     R"({"metadata":{"labels":{"node-role.kubernetes.io/worker":null}}})");
  REQUIRE(!unrole);
  CHECK(unrole.error().message ==
        "nodes \"c\" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/worker");
  auto stale = *fresh;  // its version is two writes old
  stale.metadata.labels["example.com/z"] = "1";
  auto conflict = node_c.client->update(stale);
  REQUIRE(!conflict);
  CHECK(conflict.error().code == 409);
  auto now = server.client->get<api::Node>("", "c").value();
  CHECK(now->spec.taints == tainted.spec.taints);
  CHECK(now->metadata.labels.contains("node-role.kubernetes.io/worker"));
  CHECK(!now->metadata.labels.contains("example.com/z"));
  // Its status, as before, without a check.
  CHECK(write_status<api::Node>(server, node_c, "", "c"));
}

namespace {

api::Secret secret(const std::string& name) {
  api::Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = name;
  s.string_data["k"] = "v";
  return s;
}

/// A PV bound to claim default/`claim`.
api::PersistentVolume volume(const std::string& name, const std::string& claim) {
  api::PersistentVolume pv;
  pv.metadata.name = name;
  pv.spec.capacity["storage"] = *api::Quantity::parse("1Gi");
  pv.spec.access_modes = {"ReadWriteOnce"};
  pv.spec.host_path = api::HostPathVolumeSource{};
  pv.spec.host_path->path = "/data/" + name;
  pv.spec.claim_ref = api::ObjectReference{};
  pv.spec.claim_ref->kind = "PersistentVolumeClaim";
  pv.spec.claim_ref->namespace_ = "default";
  pv.spec.claim_ref->name = claim;
  return pv;
}

}  // namespace

TEST_CASE("mutual TLS: a node reads the secrets, configmaps and volumes of its own pods only",
          "[remote]") {
  PkiDir pki({"a"});
  TlsServer server(pki);
  for (auto name : {"a", "b"}) REQUIRE(server.client->create(make_node(name)));
  // a's pod refers to secret s-a (a volume), s-gone (never created), configmap m-a (env) and
  // claim data-a; b's pod to s-b and data-b.
  auto on_a = bound_pod("web", "a");
  api::Volume secret_volume{"s"}, missing{"missing"}, claim{"c"};
  secret_volume.secret = api::SecretVolumeSource{};
  secret_volume.secret->secret_name = "s-a";
  missing.secret = api::SecretVolumeSource{};
  missing.secret->secret_name = "s-gone";
  claim.persistent_volume_claim = api::PersistentVolumeClaimVolumeSource{};
  claim.persistent_volume_claim->claim_name = "data-a";
  on_a.spec.volumes = {secret_volume, missing, claim};
  api::EnvVar env{"M", "", api::EnvVarSource{}};
  env.value_from->config_map_key_ref = api::KeySelector{"m-a", "k", std::nullopt};
  on_a.spec.containers.at(0).env.push_back(env);
  REQUIRE(server.client->create(on_a));
  auto on_b = bound_pod("other", "b");
  secret_volume.secret->secret_name = "s-b";
  claim.persistent_volume_claim->claim_name = "data-b";
  on_b.spec.volumes = {secret_volume, claim};
  REQUIRE(server.client->create(on_b));
  for (auto name : {"s-a", "s-b"}) REQUIRE(server.client->create(secret(name)));
  REQUIRE(server.client->create(make_config_map("default", "m-a")));
  REQUIRE(server.client->create(make_config_map("default", "m-b")));
  REQUIRE(server.client->create(volume("pv-a", "data-a")));
  REQUIRE(server.client->create(volume("pv-b", "data-b")));

  TlsRole node_a(pki, {http::node_stem("a")}, server.port);
  REQUIRE(node_a.connected);
  const auto& secrets = api::Secret::static_type();
  const auto& maps = api::ConfigMap::static_type();

  CHECK(node_a.client->get(secrets, "default", "s-a"));
  CHECK(node_a.client->get(maps, "default", "m-a"));
  CHECK(node_a.client->get(api::PersistentVolume::static_type(), "", "pv-a"));
  // Referred to but missing: the API server's 404. Not referred to: 403, whether it exists.
  auto gone = node_a.client->get(secrets, "default", "s-gone");
  REQUIRE(!gone);
  CHECK(gone.error().code == 404);
  auto other = node_a.client->get(secrets, "default", "s-b");
  REQUIRE(!other);
  CHECK(other.error().code == 403);
  CHECK(other.error().message ==
        "secrets \"s-b\" is forbidden: User \"system:node:a\" cannot get resource \"secrets\" "
        "in API group \"\" in the namespace \"default\": no relationship found between node "
        "'a' and this object");
  CHECK(node_a.client->get(secrets, "default", "nothing").error().code == 403);
  CHECK(node_a.client->get(maps, "default", "m-b").error().code == 403);
  CHECK(node_a.client->get(api::PersistentVolume::static_type(), "", "pv-b").error().code == 403);
  // One named object may be listed and watched (as the kubelet's secret manager does), not all.
  auto one = node_a.client->list(secrets, "default", {.field_selector = "metadata.name=s-a"});
  REQUIRE(one);
  CHECK(one->items.size() == 1);
  auto every = node_a.client->list(secrets, "default");
  REQUIRE(!every);
  CHECK(every.error().message.ends_with(": No Object name found"));
  apiserver::WatchRequest watch;
  watch.resource = "configmaps";
  watch.namespace_ = "default";
  watch.field_selector = "metadata.name=m-a";
  watch.send_initial = true;
  auto watched = node_a.client->watch(watch);
  REQUIRE(watched);
  auto first = watched->next(std::chrono::seconds(10));
  REQUIRE(first);
  CHECK((*first)->object->metadata.name == "m-a");
  watch.field_selector = "metadata.name=m-b";
  auto refused = node_a.client->watch(watch);
  REQUIRE(!refused);
  CHECK(refused.error().code == 403);
  // What no node reads.
  auto namespaces = node_a.client->list(api::Namespace::static_type());
  REQUIRE(!namespaces);
  CHECK(namespaces.error().message ==
        "namespaces is forbidden: User \"system:node:a\" cannot list resource \"namespaces\" in "
        "API group \"\" at the cluster scope");
  // What the kubelet and kube-proxy read.
  CHECK(node_a.client->list(api::Pod::static_type()));
  CHECK(node_a.client->list(api::Node::static_type()));
  CHECK(node_a.client->list(api::Service::static_type()));
  CHECK(node_a.client->list(api::Endpoints::static_type()));

  // The pod goes, and with it the node's access.
  REQUIRE(server.client->remove(api::Pod::static_type(), "default", "web",
                                client::DeleteOptions{.grace_period_seconds = 0}));
  REQUIRE(server.client->get<api::Pod>("default", "web").error().code == 404);
  CHECK(node_a.client->get(secrets, "default", "s-a").error().code == 403);
}

TEST_CASE("mutual TLS: a node gets tokens for its own pods' service account, bound to them",
          "[remote]") {
  PkiDir pki({"a"});
  TlsServer server(pki);
  for (auto name : {"a", "b"}) REQUIRE(server.client->create(make_node(name)));
  api::ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = "app";
  REQUIRE(server.client->create(sa));
  std::map<std::string, std::string> uid;
  for (auto [name, on] : {std::pair{"web", "a"}, std::pair{"db", "b"}}) {
    auto p = bound_pod(name, on);
    p.spec.service_account_name = "app";
    auto made = server.client->create(p);
    REQUIRE(made);
    uid[name] = (*made)->metadata.uid;
  }
  TlsRole node_a(pki, {http::node_stem("a")}, server.port);
  REQUIRE(node_a.connected);
  auto token_for = [&](const std::string& pod) {
    auto tr = std::make_shared<api::TokenRequest>();
    tr->spec.bound_object_ref = api::BoundObjectReference{"Pod", "v1", pod, uid[pod]};
    return node_a.client->call(apiserver::token_request("default", "app", tr));
  };
  auto mine = token_for("web");
  INFO((mine.ok() ? "" : mine.error->message));
  REQUIRE(mine.ok());
  const auto* issued = api::as<api::TokenRequest>(*mine.object);
  REQUIRE(issued);
  CHECK_FALSE(issued->status.token.empty());

  auto theirs = token_for("db");
  REQUIRE_FALSE(theirs.ok());
  CHECK(theirs.error->code == 403);
  CHECK(theirs.error->message ==
        "serviceaccounts \"app\" is forbidden: node requested token bound to a pod scheduled on "
        "a different node");
  // Once its pod is gone the node has no relationship to the service account left.
  REQUIRE(server.client->remove(api::Pod::static_type(), "default", "web",
                                client::DeleteOptions{.grace_period_seconds = 0}));
  REQUIRE(server.client->get<api::Pod>("default", "web").error().code == 404);
  auto after = token_for("web");
  REQUIRE_FALSE(after.ok());
  CHECK_THAT(after.error->message, Catch::EndsWith("no relationship found between node 'a' and "
                                                   "this object"));
}

TEST_CASE("mutual TLS: a node evicts the pods bound to it, not another node's", "[remote]") {
  PkiDir pki({"a"});
  TlsServer server(pki);
  for (auto name : {"a", "b"}) REQUIRE(server.client->create(make_node(name)));
  REQUIRE(server.client->create(bound_pod("web", "a")));
  REQUIRE(server.client->create(bound_pod("db", "b")));
  TlsRole node_a(pki, {http::node_stem("a")}, server.port);
  REQUIRE(node_a.connected);
  // An Eviction travels as the request's object (a kind that is never stored).
  auto evict = [&](const std::string& pod) {
    auto eviction = std::make_shared<api::Eviction>();
    eviction->metadata.namespace_ = "default";
    eviction->metadata.name = pod;
    return node_a.client->call(apiserver::eviction_request("default", pod, eviction));
  };
  auto theirs = evict("db");
  REQUIRE_FALSE(theirs.ok());
  CHECK(theirs.error->code == 403);
  CHECK(theirs.error->message ==
        "pods \"db\" is forbidden: node \"a\" can only evict pods with spec.nodeName set to "
        "itself");
  auto mine = evict("web");
  INFO((mine.ok() ? "" : mine.error->message));
  CHECK(mine.ok());
}

TEST_CASE("mutual TLS: a node process holding several nodes may write for each of them",
          "[remote]") {
  PkiDir pki({"r-0", "r-1", "other"});
  TlsServer server(pki);
  for (auto name : {"r-0", "r-1", "other"}) REQUIRE(server.client->create(make_node(name)));
  TlsRole nodes(pki, {http::node_stem("r-0"), http::node_stem("r-1")}, server.port);
  REQUIRE(nodes.connected);
  CHECK(write_status<api::Node>(server, nodes, "", "r-0"));
  CHECK(write_status<api::Node>(server, nodes, "", "r-1"));
  auto other = write_status<api::Node>(server, nodes, "", "other");
  REQUIRE(!other);
  CHECK(other.error().code == 403);
}

TEST_CASE("mutual TLS: the items of a node's request batch are checked one by one, and no "
          "process can hand the gate an item in another's name",
          "[remote]") {
  PkiDir pki({"a"});
  TlsServer server(pki);
  REQUIRE(server.client->create(make_node("a")));
  TlsRole node_a(pki, {http::node_stem("a")}, server.port);
  REQUIRE(node_a.connected);
  TlsRole manager(pki, {std::string(http::kControllerManagerStem)}, server.port);
  REQUIRE(manager.connected);

  // One batch straight to the gate from node a's process (its connection proved node a):
  // its own Lease may be created, a namespace may not.
  auto gate = caf::openssl::remote_actor(node_a.system.get(), "127.0.0.1", server.port);
  REQUIRE(gate);
  caf::scoped_actor self{node_a.system.get()};
  apiserver::Request lease;
  lease.verb = apiserver::Verb::create;
  lease.group = "coordination.k8s.io";
  lease.resource = "leases";
  lease.namespace_ = "kube-node-lease";
  lease.object = std::make_shared<api::Lease>(node_lease("a"));
  apiserver::Request ns;
  ns.verb = apiserver::Verb::create;
  ns.resource = "namespaces";
  ns.object = std::make_shared<api::Namespace>(make_namespace("mine"));
  apiserver::RequestBatch batch;
  batch.items.push_back({7, lease});
  batch.items.push_back({8, ns});
  bool taken = false;
  self->request(*gate, std::chrono::seconds(10), std::move(batch))
      .receive([&](bool ok) { taken = ok; }, [](caf::error& e) { FAIL(caf::to_string(e)); });
  CHECK(taken);
  std::map<uint64_t, apiserver::Response> answers;
  while (answers.size() < 2) {
    bool got = false;
    self->receive(
        [&](apiserver::ResponseBatch& b) {
          got = true;
          for (auto& item : b.items) answers[item.id] = std::move(item.response);
        },
        caf::after(std::chrono::seconds(10)) >> [] {});
    REQUIRE(got);
  }
  CHECK(answers.at(7).ok());
  REQUIRE(answers.at(8).error);
  CHECK(answers.at(8).error->code == 403);
  CHECK(answers.at(8).error->message ==
        "namespaces \"mine\" is forbidden: User \"system:node:a\" cannot create resource "
        "\"namespaces\" in API group \"\" at the cluster scope");

  // The gate's own message for a batch item, sent by node a naming the controller manager's
  // process, is refused: the namespace is not created.
  self->request(*gate, std::chrono::seconds(10), remote::batch_item_atom::value,
                manager.system.get().node(), ns)
      .receive([&](apiserver::Response&) { FAIL("a forged batch item was handled"); },
               [&](caf::error& e) { CHECK(caf::to_string(e).find("403 Forbidden") != std::string::npos); });
  CHECK(!server.client->get<api::Namespace>("", "mine"));
}

TEST_CASE("mutual TLS: a connection that proved no identity is answered 401", "[remote]") {
  PkiDir pki({"a"});
  TlsServer server(pki);
  TlsRole anonymous(pki, {http::node_stem("a")}, server.port, /*prove=*/false);
  REQUIRE(anonymous.connected);
  auto r = anonymous.client->get<api::Node>("", "a");
  REQUIRE(!r);
  CHECK(r.error().code == 401);
  CHECK(r.error().reason == "Unauthorized");
}

TEST_CASE("mutual TLS: the handshake refuses another CA's certificate, an expired one and "
          "plaintext",
          "[remote]") {
  PkiDir pki({"a"});
  TlsServer server(pki);
  // A client whose certificate (and CA) come from another `kactor certs` run.
  PkiDir foreign({"a"});
  {
    runtime::TlsActorSystem system(1, foreign.tls(http::node_stem("a")));
    auto r = caf::openssl::remote_actor(system.get(), "127.0.0.1", server.port);
    CHECK(!r);
  }
  // Trusting the right CA but presenting the other one's certificate: the server refuses it.
  {
    auto tls = foreign.tls(http::node_stem("a"));
    tls.cafile = (pki.path / http::kCaCertFile).string();
    runtime::TlsActorSystem system(1, tls);
    auto r = caf::openssl::remote_actor(system.get(), "127.0.0.1", server.port);
    CHECK(!r);
  }
  // A certificate of the right CA that expired (issued two years ago for one year).
  {
    // The cluster CA signs a node certificate dated two years back.
    auto made = http::ensure_client_certificate(
        pki.path, http::certificate_path(pki.path, "expired"), http::key_path(pki.path, "expired"),
        "system:node:a", {"system:nodes"},
        std::chrono::system_clock::now() - std::chrono::days(800));
    REQUIRE(made);
    auto loaded = remote::tls::load_role_credentials(pki.path, {"expired"},
                                                     std::chrono::system_clock::now());
    REQUIRE(!loaded);
    CHECK(loaded.error().message.find("expired.crt: has expired") != std::string::npos);
    runtime::TlsActorSystem system(1, pki.tls("expired"));
    auto r = caf::openssl::remote_actor(system.get(), "127.0.0.1", server.port);
    CHECK(!r);
  }
  // Plaintext to the TLS port.
  {
    runtime::ActorSystem system(1);
    auto r = system.get().middleman().remote_actor("127.0.0.1", server.port);
    CHECK(!r);
  }
  // The right certificate still gets through (the refusals above are about the certificates).
  runtime::TlsActorSystem system(1, pki.tls(http::node_stem("a")));
  CHECK(caf::openssl::remote_actor(system.get(), "127.0.0.1", server.port));
}
