// The pieces of the role processes' mutual TLS without a network: the identity proof, who a
// proof makes a connection, and NodeRestriction's decisions.
#include <unistd.h>

#include <filesystem>

#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/http/role_pki.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "actors/remote/tls/credentials.hpp"
#include "actors/remote/tls/node_restriction.hpp"
#include "actors/remote/tls/peer_identity.hpp"
#include "actors/remote/tls/proof.hpp"
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
  CHECK(admit_node_request(a, write(Verb::get, "", "secrets", "default", "s")).decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::list, "", "pods", "", "")).decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::update_status, "", "nodes", "", "a")).decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::patch_status, "", "nodes", "", "a")).decision == D::allow);
  auto b = admit_node_request(a, write(Verb::update, "", "nodes", "", "b"));
  CHECK(b.decision == D::deny);
  CHECK(b.denial.message == "nodes \"b\" is forbidden: node \"a\" is not allowed to modify node \"b\"");
  CHECK(admit_node_request(a, write(Verb::update, "coordination.k8s.io", "leases",
                                    "kube-node-lease", "a")).decision == D::allow);
  CHECK(admit_node_request(a, write(Verb::update, "coordination.k8s.io", "leases",
                                    "kube-system", "a")).decision == D::deny);
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
