// The pieces of the role processes' mutual TLS without a network: the identity proof, who a
// proof makes a connection, and NodeRestriction's decisions.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/apiserver/protocol/token_request.hpp"
#include "actors/http/role_pki.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "actors/remote/tls/credentials.hpp"
#include "actors/remote/tls/node_restriction.hpp"
#include "actors/remote/tls/peer_identity.hpp"
#include "actors/remote/tls/pod_references.hpp"
#include "actors/remote/tls/proof.hpp"
#include "api/types/authentication.hpp"
#include "api/types/coordination.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::remote::tls;
using apiserver::Request;
using apiserver::Verb;
namespace fs = std::filesystem;

namespace {

TimePoint now() { return std::chrono::system_clock::now(); }

struct Dir {
  explicit Dir(const std::vector<std::string>& nodes) {
    static int counter = 0;
    path = fs::temp_directory_path() / ("kactor-tls-unit-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(counter++));
    fs::remove_all(path);
    REQUIRE(http::ensure_role_pki(path, {{}, nodes}, now()));
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

Request write(Verb verb, std::string group, std::string resource, std::string ns,
              std::string name) {
  Request r;
  r.verb = verb;
  r.group = std::move(group);
  r.resource = std::move(resource);
  r.namespace_ = std::move(ns);
  r.name = std::move(name);
  return r;
}

PeerIdentity node(std::initializer_list<std::string> names) {
  PeerIdentity p;
  for (const auto& n : names) {
    p.users.push_back({"system:node:" + n, {"system:nodes"}});
    p.nodes.insert(n);
  }
  return p;
}

}  // namespace

TEST_CASE("identity proof: holds for its challenge and certificate, and for nothing else", "[remote]") {
  Dir dir({"a"});
  auto creds = load_role_credentials(dir.path, {http::node_stem("a")}, now());
  REQUIRE(creds);
  const auto challenge = remote::peer_challenge("n0nce", "server-node", "client-node");
  auto proof = make_proof(creds->identities, challenge);
  REQUIRE(proof);

  auto users = verify_proof(*proof, challenge, creds->ca.get(), now());
  REQUIRE(users);
  REQUIRE(users->size() == 1);
  CHECK(users->front().name == "system:node:a");
  CHECK(users->front().groups == std::vector<std::string>{"system:nodes"});

  // Replayed for another connection (another client node id, or another nonce): refused.
  for (const auto& other : {remote::peer_challenge("n0nce", "server-node", "attacker-node"),
                            remote::peer_challenge("other", "server-node", "client-node")}) {
    auto r = verify_proof(*proof, other, creds->ca.get(), now());
    REQUIRE(!r);
    CHECK(r.error().code == 401);
    CHECK(r.error().message.find("identities[0]: signature: does not verify") != std::string::npos);
  }
  // Checked against another cluster's CA: refused.
  Dir foreign({"a"});
  auto foreign_creds = load_role_credentials(foreign.path, {http::node_stem("a")}, now());
  REQUIRE(foreign_creds);
  auto r = verify_proof(*proof, challenge, foreign_creds->ca.get(), now());
  REQUIRE(!r);
  CHECK(r.error().message.find("identities[0]: certificate verification failed") !=
        std::string::npos);
  // After the certificate's expiry: refused.
  r = verify_proof(*proof, challenge, creds->ca.get(), now() + std::chrono::days(400));
  REQUIRE(!r);
  CHECK(r.error().message.find("certificate has expired") != std::string::npos);
  // Garbage and an empty proof: refused, naming what is missing.
  CHECK(!verify_proof("{", challenge, creds->ca.get(), now()));
  CHECK(!verify_proof(R"({"identities": []})", challenge, creds->ca.get(), now()));
}

TEST_CASE("credentials: a missing or mismatched file is an error naming it", "[remote]") {
  Dir dir({"a", "b"});
  auto missing = load_role_credentials(dir.path, {http::node_stem("c")}, now());
  REQUIRE(!missing);
  CHECK(missing.error().message.find("nodes/c.crt: cannot be read") != std::string::npos);
  // b's key beside a's certificate.
  fs::copy_file(http::key_path(dir.path, http::node_stem("b")),
                http::key_path(dir.path, http::node_stem("a")),
                fs::copy_options::overwrite_existing);
  auto mismatched = load_role_credentials(dir.path, {http::node_stem("a")}, now());
  REQUIRE(!mismatched);
  CHECK(mismatched.error().message.find("nodes/a.key: is not the key of") != std::string::npos);
}

TEST_CASE("identity proof: certificates renewed on disk prove the next connections",
          "[remote]") {
  Dir dir({"a", "b"});
  const std::vector<std::string> stems{http::node_stem("a")};
  auto creds = load_role_credentials(dir.path, stems, now());
  REQUIRE(creds);
  std::vector<std::string> errors;
  auto prove = reloading_prover(
      std::move(creds->identities),
      [&]() -> api::Result<std::vector<Identity>> {
        auto again = load_role_credentials(dir.path, stems, now());
        if (!again) return api::fail(again.error());
        return std::move(again->identities);
      },
      [&](const api::Status& why) { errors.push_back(why.message); });
  const auto cert_file = http::certificate_path(dir.path, stems[0]);
  const auto key_file = http::key_path(dir.path, stems[0]);
  auto read = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  // The certificate a proof presents, checked to verify as node a's.
  auto presented = [&](const std::string& challenge) {
    auto proof = prove(challenge);
    REQUIRE(proof);
    auto users = verify_proof(*proof, challenge, creds->ca.get(), now());
    INFO((users ? "" : users.error().message));
    REQUIRE(users);
    CHECK(users->at(0).name == "system:node:a");
    return nlohmann::json::parse(*proof).at("identities").at(0).at("certificate").get<std::string>();
  };
  const auto first = read(cert_file);
  CHECK(presented(remote::peer_challenge("n1", "server", "client")) == first);

  // Re-issued (kactor certs issues what is missing): the next proof presents the new one.
  fs::remove(cert_file);
  fs::remove(key_file);
  REQUIRE(http::ensure_role_pki(dir.path, {{}, {"a", "b"}}, now()));
  const auto renewed = read(cert_file);
  REQUIRE(renewed != first);
  CHECK(presented(remote::peer_challenge("n2", "server", "client")) == renewed);
  CHECK(errors.empty());

  // A pair caught half rewritten (b's key beside a's certificate): the last good pair proves,
  // and the error names the file.
  fs::copy_file(http::key_path(dir.path, http::node_stem("b")), key_file,
                fs::copy_options::overwrite_existing);
  CHECK(presented(remote::peer_challenge("n3", "server", "client")) == renewed);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("nodes/a.key: is not the key of") != std::string::npos);
}

TEST_CASE("peer identity: nodes together, or exactly one known component", "[remote]") {
  auto nodes = classify_peer({{"system:node:a", {"system:nodes"}}, {"system:node:b", {"system:nodes"}}});
  REQUIRE(nodes);
  CHECK(nodes->nodes == std::set<std::string>{"a", "b"});
  CHECK(nodes->describe() == "system:node:{a, b}");
  PeerIdentity many;
  for (auto n : {"a", "b", "c", "d"}) many.nodes.insert(n);
  CHECK(many.describe() == "system:node:{a, b, c, ... (4 nodes)}");
  auto scheduler = classify_peer({{"system:kube-scheduler", {}}});
  REQUIRE(scheduler);
  CHECK(!scheduler->is_node());
  CHECK(classify_peer({{"kactor-admin", {"system:masters"}}}));
  // A node name without system:nodes is no node, and no component either.
  auto stranger = classify_peer({{"system:node:a", {}}});
  REQUIRE(!stranger);
  CHECK(stranger.error().code == 403);
  CHECK(!classify_peer({{"system:node:a", {"system:nodes"}}, {"system:kube-scheduler", {}}}));
}

TEST_CASE("node restriction: upstream's rules for a node's writes", "[remote]") {
  using D = NodeAdmission::Decision;
  auto a = node({"a"});
  CHECK(admit_node_request(a, write(Verb::get, "", "secrets", "default", "s")).decision ==
        D::check_related);
  CHECK(admit_node_request(a, write(Verb::list, "", "pods", "", "")).decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::update_status, "", "nodes", "", "a")).decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::patch_status, "", "nodes", "", "a")).decision == D::allow);
  auto b = admit_node_request(a, write(Verb::update, "", "nodes", "", "b"));
  CHECK(b.decision == D::deny);
  CHECK(b.denial.message == "nodes \"b\" is forbidden: node \"a\" is not allowed to modify node \"b\"");
  CHECK(admit_node_request(a, write(Verb::update, "coordination.k8s.io", "leases",
                                    "kube-node-lease", "a")).decision == D::allow);
  auto elsewhere = admit_node_request(a, write(Verb::update, "coordination.k8s.io", "leases",
                                               "kube-system", "a"));
  CHECK(elsewhere.decision == D::deny);
  CHECK(elsewhere.denial.message ==
        "leases.coordination.k8s.io \"a\" is forbidden: User \"system:node:a\" cannot update "
        "resource \"leases\" in API group \"coordination.k8s.io\" in the namespace "
        "\"kube-system\": can only access leases in the \"kube-node-lease\" system namespace");
  // Another node's lease: the authorizer's words, but for a create, which admission decides.
  CHECK(admit_node_request(a, write(Verb::update, "coordination.k8s.io", "leases",
                                    "kube-node-lease", "b"))
            .denial.message ==
        "leases.coordination.k8s.io \"b\" is forbidden: User \"system:node:a\" cannot update "
        "resource \"leases\" in API group \"coordination.k8s.io\" in the namespace "
        "\"kube-node-lease\": can only access node lease with the same name as the requesting "
        "node");
  // A kubelet has no business deleting its Node.
  auto delete_node = admit_node_request(a, write(Verb::remove, "", "nodes", "", "a"));
  CHECK(delete_node.decision == D::deny);
  CHECK(delete_node.denial.message ==
        "nodes \"a\" is forbidden: User \"system:node:a\" cannot delete resource \"nodes\" in "
        "API group \"\" at the cluster scope");
  CHECK(admit_node_request(a, write(Verb::update_status, "", "pods", "default", "p")).decision ==
        D::check_pod);
  CHECK(admit_node_request(a, write(Verb::remove, "", "pods", "default", "p")).decision ==
        D::check_pod);
  CHECK(admit_node_request(a, apiserver::eviction_request("default", "p", nullptr)).decision ==
        D::check_pod);
  auto spec = admit_node_request(a, write(Verb::update, "", "pods", "default", "p"));
  CHECK(spec.decision == D::deny);
  CHECK(spec.denial.message ==
        "pods \"p\" is forbidden: User \"system:node:a\" cannot update resource \"pods\" in API "
        "group \"\" in the namespace \"default\"");
  // Its own Node, but not as a way to bind a pod or finalize a namespace.
  auto node_bind = admit_node_request(a, write(Verb::bind, "", "nodes", "", "a"));
  CHECK(node_bind.decision == D::deny);
  CHECK(node_bind.denial.message ==
        "nodes \"a\" is forbidden: User \"system:node:a\" cannot create resource "
        "\"nodes/binding\" in API group \"\" at the cluster scope");
  CHECK(admit_node_request(a, write(Verb::finalize, "", "nodes", "", "a")).decision == D::deny);
  auto bind = admit_node_request(a, write(Verb::bind, "", "pods", "default", "p"));
  CHECK(bind.decision == D::deny);
  CHECK(bind.denial.message.find("cannot create resource \"pods/binding\"") != std::string::npos);
  CHECK(admit_node_request(a, write(Verb::create, "", "pods", "default", "p")).decision == D::deny);
  CHECK(admit_node_request(a, write(Verb::create, "", "events", "default", "e")).decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::patch, "events.k8s.io", "events", "default", "e"))
            .decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::remove, "", "events", "default", "e")).decision == D::deny);
  CHECK(admit_node_request(a, write(Verb::create, "", "secrets", "default", "s")).decision == D::deny);

  auto status = write(Verb::update_status, "", "pods", "default", "p");
  CHECK(admit_bound_pod(a, status, "a") == std::nullopt);
  auto other = admit_bound_pod(a, status, "b");
  REQUIRE(other);
  CHECK(other->message == "pods \"p\" is forbidden: node \"a\" can only update pod status for "
                          "pods with spec.nodeName set to itself");
  auto unbound = admit_bound_pod(a, write(Verb::remove, "", "pods", "default", "p"), "");
  REQUIRE(unbound);
  CHECK(unbound->message.find("can only delete pods") != std::string::npos);
}

namespace {

/// The Node `a` as stored: a kubelet label, a label only an administrator may set, one of
/// anyone's, and a taint.
api::Node stored_node_a() {
  api::Node n;
  n.metadata.name = "a";
  n.metadata.resource_version = "7";
  n.metadata.labels = {{"kubernetes.io/hostname", "a"},
                       {"node-role.kubernetes.io/worker", ""},
                       {"example.com/x", "1"}};
  n.spec.taints.push_back({"dedicated", "infra", "NoSchedule", std::nullopt});
  return n;
}

Request node_update(const api::Node& n) {
  auto r = write(Verb::update, "", "nodes", "", n.metadata.name);
  r.object = std::make_shared<api::Node>(n);
  return r;
}

Request node_patch(std::string type, std::string body) {
  auto r = write(Verb::patch, "", "nodes", "", "a");
  r.patch_type = std::move(type);
  r.patch_body = std::move(body);
  return r;
}

const api::Node& forwarded(const NodeWrite& w) {
  REQUIRE(!w.answer);
  REQUIRE(w.forward.verb == Verb::update);
  REQUIRE(w.forward.object);
  return static_cast<const api::Node&>(*w.forward.object);
}

std::string answer(const NodeWrite& w) {
  REQUIRE(w.answer);
  return std::to_string(w.answer->code) + " " + w.answer->message;
}

}  // namespace

TEST_CASE("node restriction: a node's own Node keeps its taints and Kubernetes labels",
          "[remote]") {
  using D = NodeAdmission::Decision;
  auto a = node({"a"});
  CHECK(admit_node_request(a, write(Verb::update, "", "nodes", "", "a")).decision == D::check_node);
  CHECK(admit_node_request(a, write(Verb::patch, "", "nodes", "", "a")).decision == D::check_node);

  // Create: the labels it may set, and taints (--register-with-taints).
  auto create = [&](std::map<std::string, std::string> labels, const PeerIdentity& who,
                    const std::string& name) {
    api::Node n;
    n.metadata.name = name;
    n.metadata.labels = std::move(labels);
    n.spec.taints.push_back({"dedicated", "infra", "NoSchedule", std::nullopt});
    auto r = write(Verb::create, "", "nodes", "", "");
    r.object = std::make_shared<api::Node>(n);
    return admit_node_request(who, r);
  };
  CHECK(create({{"kubernetes.io/hostname", "a"}, {"example.com/y", "1"}, {"node.kubernetes.io/z", ""}},
               a, "a")
            .decision == D::allow);
  auto labelled = create(
      {{"node-role.kubernetes.io/worker", ""}, {"k8s.io/b", "1"}, {"kubelet.kubernetes.io/ok", ""}},
      a, "a");
  CHECK(labelled.decision == D::deny);
  CHECK(labelled.denial.message ==
        "nodes \"a\" is forbidden: node \"a\" is not allowed to set the following labels: "
        "k8s.io/b, node-role.kubernetes.io/worker");
  // The name that counts is the object's, which the API server stores, not the request's.
  auto disguised = write(Verb::create, "", "nodes", "", "a");
  disguised.object = std::make_shared<api::Node>(api::testing::make_node("b"));
  auto impostor = admit_node_request(a, disguised);
  CHECK(impostor.decision == D::deny);
  CHECK(impostor.denial.message ==
        "nodes \"b\" is forbidden: node \"a\" is not allowed to modify node \"b\"");
  auto lease_for_b = write(Verb::create, "coordination.k8s.io", "leases", "kube-node-lease", "a");
  api::Lease lease;
  lease.metadata.namespace_ = "kube-node-lease";
  lease.metadata.name = "b";
  lease_for_b.object = std::make_shared<api::Lease>(lease);
  CHECK(admit_node_request(a, lease_for_b).decision == D::deny);
  // Deleting another node's Node: the authorizer's words, as for its own.
  CHECK(admit_node_request(a, write(Verb::remove, "", "nodes", "", "b")).denial.message ==
        "nodes \"b\" is forbidden: User \"system:node:a\" cannot delete resource \"nodes\" in "
        "API group \"\" at the cluster scope");
  // A process holding several nodes is named by the node written.
  auto many = create({{"kubernetes.io/foo", ""}}, node({"r-0", "r-1"}), "r-0");
  CHECK(many.denial.message ==
        "nodes \"r-0\" is forbidden: node \"r-0\" is not allowed to set the following labels: "
        "kubernetes.io/foo");

  const auto stored = stored_node_a();
  SECTION("an update is written under the version checked") {
    auto next = stored;
    next.metadata.labels["example.com/x"] = "2";
    next.metadata.labels["kubernetes.io/hostname"] = "a2";  // a kubelet label
    next.metadata.resource_version.clear();
    auto w = admit_node_write(node_update(next), stored);
    CHECK(forwarded(w).metadata.resource_version == "7");
    CHECK(forwarded(w).metadata.labels.at("example.com/x") == "2");
    CHECK(w.retry_on_conflict);
    next.metadata.resource_version = "7";
    auto own = admit_node_write(node_update(next), stored);
    CHECK(forwarded(own).metadata.resource_version == "7");
    CHECK_FALSE(own.retry_on_conflict);
    next.metadata.resource_version = "6";
    CHECK(answer(admit_node_write(node_update(next), stored)) ==
          "409 Operation cannot be fulfilled on nodes \"a\": the object has been modified; "
          "please apply your changes to the latest version and try again");
    next.metadata.resource_version = "12abc";
    CHECK(admit_node_write(node_update(next), stored).answer->code == 400);
  }
  SECTION("taints may not change at all") {
    auto added = stored;
    added.spec.taints.push_back({"gpu", "", "NoSchedule", std::nullopt});
    const std::string forbidden_taints =
        "403 nodes \"a\" is forbidden: node \"a\" is not allowed to modify taints";
    CHECK(answer(admit_node_write(node_update(added), stored)) == forbidden_taints);
    // Upstream checks the stored Node before the version: a stale write is 403, not 409.
    added.metadata.resource_version = "6";
    CHECK(answer(admit_node_write(node_update(added), stored)) == forbidden_taints);
    auto removed = stored;
    removed.spec.taints.clear();
    CHECK(answer(admit_node_write(node_update(removed), stored)) == forbidden_taints);
    auto timed = stored;
    timed.spec.taints[0].time_added = api::Time{now()};
    CHECK(answer(admit_node_write(node_update(timed), stored)) == forbidden_taints);
  }
  SECTION("a patch keeps a taint's timeAdded, which JSON has in whole seconds") {
    auto timed = stored;
    timed.spec.taints.push_back({"node.kubernetes.io/unreachable", "", "NoExecute",
                                 api::Time{TimePoint{std::chrono::milliseconds(1700000000123)}}});
    auto w = admit_node_write(
        node_patch("application/merge-patch+json", R"({"metadata":{"labels":{"example.com/y":"1"}}})"),
        timed);
    CHECK(forwarded(w).spec.taints == timed.spec.taints);
  }
  SECTION("Kubernetes labels that are no kubelet's may not be added, removed or changed") {
    auto next = stored;
    next.metadata.labels.erase("node-role.kubernetes.io/worker");
    next.metadata.labels["kubernetes.io/foo"] = "";
    CHECK(answer(admit_node_write(node_update(next), stored)) ==
          "403 nodes \"a\" is forbidden: is not allowed to modify labels: kubernetes.io/foo, "
          "node-role.kubernetes.io/worker");
    auto kept = stored;  // a forbidden label kept as it is does not stop another change
    kept.metadata.labels["example.com/x"] = "3";
    CHECK(forwarded(admit_node_write(node_update(kept), stored)).metadata.labels.at("example.com/x") ==
          "3");
  }
  SECTION("an update without a Node goes on to the API server, which refuses it") {
    auto r = write(Verb::update, "", "nodes", "", "a");
    auto w = admit_node_write(r, stored);
    CHECK(!w.answer);
    CHECK(w.forward == r);
  }
  SECTION("a patch is applied here and forwarded as the update it amounts to") {
    auto merged = admit_node_write(
        node_patch("application/merge-patch+json", R"({"metadata":{"labels":{"example.com/y":"1"}}})"),
        stored);
    const auto& n = forwarded(merged);
    CHECK(n.metadata.labels.at("example.com/y") == "1");
    CHECK(n.metadata.labels.at("node-role.kubernetes.io/worker").empty());
    CHECK(n.metadata.resource_version == "7");
    CHECK(n.spec.taints == stored.spec.taints);
    CHECK(merged.retry_on_conflict);
    CHECK(merged.forward.name == "a");
    CHECK(answer(admit_node_write(node_patch("application/merge-patch+json",
                                             R"({"metadata":{"labels":{"kubernetes.io/role":"x"}}})"),
                                  stored)) ==
          "403 nodes \"a\" is forbidden: is not allowed to modify labels: kubernetes.io/role");
    CHECK(admit_node_write(node_patch("application/merge-patch+json",
                                      R"({"metadata":{"labels":{"node-role.kubernetes.io/worker":null}}})"),
                           stored)
              .answer->code == 403);
    CHECK(answer(admit_node_write(
              node_patch("application/strategic-merge-patch+json", R"({"spec":{"taints":[]}})"),
              stored)) == "403 nodes \"a\" is forbidden: node \"a\" is not allowed to modify taints");
    CHECK(admit_node_write(node_patch("application/json-patch+json",
                                      R"([{"op":"remove","path":"/spec/taints/0"}])"),
                           stored)
              .answer->code == 403);
    CHECK(admit_node_write(node_patch("application/merge-patch+json", "{"), stored).answer->code ==
          400);
    CHECK(admit_node_write(node_patch("application/apply-patch+yaml", "{}"), stored).answer->code ==
          415);
    CHECK(admit_node_write(node_patch("application/merge-patch+json",
                                      R"({"metadata":{"resourceVersion":"6"}})"),
                           stored)
              .answer->code == 409);
    auto dry = node_patch("application/merge-patch+json", R"({"metadata":{"labels":{"e.com/z":"1"}}})");
    dry.dry_run = true;
    CHECK(admit_node_write(dry, stored).forward.dry_run);
  }
}

namespace {

NodeRead read_of(std::string verb, std::string group, std::string resource, std::string ns,
                 std::string name) {
  return {std::move(verb), std::move(group), std::move(resource), std::move(ns), std::move(name)};
}

/// A pod on `node` referring to a secret and a configmap in every way a pod can.
api::Pod referring_pod(const std::string& name, const std::string& node) {
  auto pod = api::testing::make_pod("default", name);
  pod.spec.node_name = node;
  pod.spec.image_pull_secrets.push_back({"pull"});
  auto& c = pod.spec.containers.at(0);
  api::EnvVar from_secret{"A", "", api::EnvVarSource{}};
  from_secret.value_from->secret_key_ref = api::KeySelector{"env-secret", "k", std::nullopt};
  api::EnvVar from_map{"B", "", api::EnvVarSource{}};
  from_map.value_from->config_map_key_ref = api::KeySelector{"env-map", "k", std::nullopt};
  c.env = {from_secret, from_map};
  api::EnvFromSource all_secret, all_map;
  all_secret.secret_ref = api::EnvSourceRef{"envfrom-secret", std::nullopt};
  all_map.config_map_ref = api::EnvSourceRef{"envfrom-map", std::nullopt};
  c.env_from = {all_secret, all_map};
  api::Container init;
  init.name = "init";
  init.image = "busybox";
  init.env_from = {[] {
    api::EnvFromSource s;
    s.secret_ref = api::EnvSourceRef{"init-secret", std::nullopt};
    return s;
  }()};
  pod.spec.init_containers.push_back(init);
  api::Volume secret_volume{"s"}, map_volume{"m"}, claim_volume{"c"}, projected{"p"}, csi{"csi"},
      ephemeral{"scratch"};
  secret_volume.secret = api::SecretVolumeSource{};
  secret_volume.secret->secret_name = "volume-secret";
  map_volume.config_map = api::ConfigMapVolumeSource{};
  map_volume.config_map->name = "volume-map";
  claim_volume.persistent_volume_claim = api::PersistentVolumeClaimVolumeSource{};
  claim_volume.persistent_volume_claim->claim_name = "data";
  projected.opaque.projected = api::RawJson(
      R"({"sources":[{"secret":{"name":"projected-secret"}},{"configMap":{"name":"projected-map"}},{"serviceAccountToken":{"path":"token"}}]})");
  csi.opaque.csi = api::RawJson(R"({"driver":"d","nodePublishSecretRef":{"name":"csi-secret"}})");
  ephemeral.opaque.ephemeral = api::RawJson(R"({"volumeClaimTemplate":{"spec":{}}})");
  pod.spec.volumes = {secret_volume, map_volume, claim_volume, projected, csi, ephemeral};
  return pod;
}

}  // namespace

TEST_CASE("node authorizer: what a pod lets its node read", "[remote]") {
  auto refs = references_of(referring_pod("web", "a"));
  CHECK(refs.secrets == std::set<std::string>{"csi-secret", "env-secret", "envfrom-secret",
                                              "init-secret", "projected-secret", "pull",
                                              "volume-secret"});
  CHECK(refs.config_maps ==
        std::set<std::string>{"env-map", "envfrom-map", "projected-map", "volume-map"});
  CHECK(refs.claims == std::set<std::string>{"data", "web-scratch"});

  std::vector<api::ObjectPtr> pods = {std::make_shared<api::Pod>(referring_pod("web", "a")),
                                      std::make_shared<api::Pod>(api::testing::make_pod("default", "other"))};
  CHECK(referred_by_pod_on({"a"}, pods, RelatedKind::secret, "pull"));
  CHECK(referred_by_pod_on({"x", "a"}, pods, RelatedKind::config_map, "volume-map"));
  CHECK(referred_by_pod_on({"a"}, pods, RelatedKind::claim, "web-scratch"));
  CHECK_FALSE(referred_by_pod_on({"b"}, pods, RelatedKind::secret, "pull"));  // another node's pod
  CHECK_FALSE(referred_by_pod_on({"a"}, pods, RelatedKind::secret, "volume-map"));  // wrong kind
  CHECK_FALSE(referred_by_pod_on({"a"}, pods, RelatedKind::secret, "unrelated"));
  // A mirror pod grants its node nothing.
  auto mirror = referring_pod("static", "a");
  mirror.metadata.annotations["kubernetes.io/config.mirror"] = "hash";
  CHECK_FALSE(referred_by_pod_on({"a"}, {std::make_shared<api::Pod>(mirror)}, RelatedKind::secret,
                                 "pull"));
}

TEST_CASE("node authorizer: the reads a node may make, with upstream's reasons", "[remote]") {
  using D = NodeAdmission::Decision;
  auto a = node({"a"});
  for (auto resource : {"services", "nodes", "pods", "endpoints"}) {
    CHECK(admit_node_read(a, read_of("list", "", resource, "", "")).decision == D::allow);
    CHECK(admit_node_read(a, read_of("watch", "", resource, "", "")).decision == D::allow);
  }
  CHECK(admit_node_read(a, read_of("watch", "discovery.k8s.io", "endpointslices", "", "")).decision ==
        D::allow);
  CHECK(admit_node_read(a, read_of("get", "coordination.k8s.io", "leases", "kube-node-lease", "a"))
            .decision == D::allow);
  CHECK(admit_node_read(a, read_of("get", "coordination.k8s.io", "leases", "kube-node-lease", "b"))
            .denial.message ==
        "leases.coordination.k8s.io \"b\" is forbidden: User \"system:node:a\" cannot get "
        "resource \"leases\" in API group \"coordination.k8s.io\" in the namespace "
        "\"kube-node-lease\": can only access node lease with the same name as the requesting "
        "node");
  CHECK(admit_node_read(a, read_of("list", "coordination.k8s.io", "leases", "kube-node-lease", ""))
            .denial.message.ends_with(
                ": can only get, create, update, patch, or delete a node lease"));

  // Secrets and configmaps: one named object, then the graph.
  CHECK(admit_node_read(a, read_of("get", "", "secrets", "default", "s")).decision ==
        D::check_related);
  CHECK(admit_node_read(a, read_of("watch", "", "configmaps", "default", "m")).decision ==
        D::check_related);
  auto all = admit_node_read(a, read_of("list", "", "secrets", "default", ""));
  CHECK(all.decision == D::deny);
  CHECK(all.denial.message ==
        "secrets is forbidden: User \"system:node:a\" cannot list resource \"secrets\" in API "
        "group \"\" in the namespace \"default\": No Object name found");
  CHECK(admit_node_read(a, read_of("watch", "", "configmaps", "", "m")).denial.message.ends_with(
      ": can only read namespaced object of this type"));
  // PVCs and PVs: get only.
  CHECK(admit_node_read(a, read_of("get", "", "persistentvolumes", "", "pv")).decision ==
        D::check_related);
  CHECK(admit_node_read(a, read_of("get", "", "persistentvolumeclaims", "default", "data"))
            .decision == D::check_related);
  CHECK(admit_node_read(a, read_of("list", "", "persistentvolumes", "", "")).denial.message ==
        "persistentvolumes is forbidden: User \"system:node:a\" cannot list resource "
        "\"persistentvolumes\" in API group \"\" at the cluster scope: can only get individual "
        "resources of this type");
  CHECK(admit_node_read(a, read_of("get", "", "serviceaccounts", "default", "sa"))
            .denial.message.ends_with(": can only create tokens for individual service accounts"));
  // Anything else: RBAC's words alone.
  CHECK(admit_node_read(a, read_of("list", "", "namespaces", "", "")).denial.message ==
        "namespaces is forbidden: User \"system:node:a\" cannot list resource \"namespaces\" in "
        "API group \"\" at the cluster scope");
  CHECK(admit_node_read(a, read_of("get", "apps", "deployments", "default", "d")).decision ==
        D::deny);
  CHECK(admit_node_read(a, read_of("watch", "", "events", "default", "")).decision == D::deny);

  // The graph's answer.
  auto secret = read_of("get", "", "secrets", "default", "s");
  CHECK(related_read(a, secret, true) == std::nullopt);
  auto unrelated = related_read(a, secret, false);
  REQUIRE(unrelated);
  CHECK(unrelated->code == 403);
  CHECK(unrelated->message ==
        "secrets \"s\" is forbidden: User \"system:node:a\" cannot get resource \"secrets\" in "
        "API group \"\" in the namespace \"default\": no relationship found between node 'a' "
        "and this object");

  // Requests and watches name the object a list or watch is about by its field selector.
  auto get = write(Verb::get, "", "secrets", "default", "s");
  CHECK(node_read(get).verb == "get");
  CHECK(node_read(get).name == "s");
  auto list = write(Verb::list, "", "configmaps", "default", "");
  list.field_selector = "metadata.name=kube-root-ca.crt";
  CHECK(node_read(list).verb == "list");
  CHECK(node_read(list).name == "kube-root-ca.crt");
  CHECK(admit_node_request(a, list).decision == D::check_related);
  apiserver::WatchRequest watch;
  watch.resource = "secrets";
  watch.namespace_ = "default";
  watch.field_selector = "metadata.name=s,type=Opaque";
  CHECK(node_read(watch).verb == "watch");
  CHECK(node_read(watch).name == "s");
}

TEST_CASE("node authorizer and NodeRestriction: a node's token requests", "[remote]") {
  using D = NodeAdmission::Decision;
  auto a = node({"a"});
  // Pods of namespace default: web on a and db on b run as "app"; tool on b as "tools".
  auto pod = [](const std::string& name, const std::string& on, const std::string& sa) {
    auto p = api::testing::make_pod("default", name);
    p.metadata.uid = "uid-" + name;
    p.spec.node_name = on;
    p.spec.service_account_name = sa;
    return std::make_shared<api::Pod>(std::move(p));
  };
  std::vector<api::ObjectPtr> pods = {pod("web", "a", "app"), pod("db", "b", "app"),
                                      pod("tool", "b", "tools")};
  // A token of `sa` bound to `ref` (none when its name is empty).
  auto request = [](const std::string& sa, api::BoundObjectReference ref) {
    auto tr = std::make_shared<api::TokenRequest>();
    if (!ref.name.empty() || !ref.kind.empty()) tr->spec.bound_object_ref = ref;
    return apiserver::token_request("default", sa, tr);
  };
  auto bound_to = [](const std::string& name, const std::string& uid) {
    return api::BoundObjectReference{"Pod", "v1", name, uid};
  };
  auto denial = [&](const Request& r) {
    auto d = admit_token_request(a, r, pods);
    return d ? d->message : std::string("allowed");
  };

  CHECK(admit_node_request(a, request("app", bound_to("web", "uid-web"))).decision ==
        D::check_token);
  CHECK(denial(request("app", bound_to("web", "uid-web"))) == "allowed");

  // The authorizer: no pod of a's runs as "tools"; a request naming no service account.
  CHECK(denial(request("tools", bound_to("web", "uid-web"))) ==
        "serviceaccounts \"tools\" is forbidden: User \"system:node:a\" cannot create resource "
        "\"serviceaccounts/token\" in API group \"\" in the namespace \"default\": no "
        "relationship found between node 'a' and this object");
  auto unnamed = admit_node_request(a, request("", bound_to("web", "uid-web")));
  CHECK(unnamed.decision == D::deny);
  CHECK(unnamed.denial.message.ends_with(": can only create tokens for individual service "
                                         "accounts"));
  CHECK(unnamed.denial.code == 403);

  // NodeRestriction: bound to one of a's pods, named with its uid.
  CHECK(denial(request("app", {})) ==
        "serviceaccounts \"app\" is forbidden: node requested token not bound to a pod");
  CHECK(denial(request("app", api::BoundObjectReference{"Secret", "v1", "s", "uid-s"})) ==
        "serviceaccounts \"app\" is forbidden: node requested token not bound to a pod");
  CHECK(denial(request("app", bound_to("web", ""))) ==
        "serviceaccounts \"app\" is forbidden: node requested token with a pod binding without "
        "a uid");
  CHECK(denial(request("app", bound_to("web", "uid-old"))) ==
        "serviceaccounts \"app\" is forbidden: the UID in the bound object reference (uid-old) "
        "does not match the UID in record. The object might have been deleted and then "
        "recreated");
  CHECK(denial(request("app", bound_to("db", "uid-db"))) ==
        "serviceaccounts \"app\" is forbidden: node requested token bound to a pod scheduled on "
        "a different node");
  auto gone = admit_token_request(a, request("app", bound_to("gone", "uid-gone")), pods);
  REQUIRE(gone);
  CHECK(gone->code == 404);
  CHECK(gone->message == "pod \"gone\" not found");
  // The authorizer decides first: no relationship, whatever the binding.
  CHECK(denial(request("tools", {})).ends_with("no relationship found between node 'a' and this "
                                               "object"));
  // A mirror pod running as the service account grants its node no token.
  auto mirror = pod("static", "a", "tools");
  mirror->metadata.annotations["kubernetes.io/config.mirror"] = "hash";
  CHECK(admit_token_request(a, request("tools", bound_to("static", "uid-static")),
                            {mirror})
            ->message.ends_with("no relationship found between node 'a' and this object"));
  // A connection holding a and b: db is its own now.
  CHECK_FALSE(admit_token_request(node({"a", "b"}), request("app", bound_to("db", "uid-db")),
                                  pods));
}
