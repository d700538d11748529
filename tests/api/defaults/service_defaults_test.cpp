// Service defaulting (api/defaults/service_defaults.cpp).
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("service defaults as the API server fills them", "[defaults]") {
  auto svc = load(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
    "spec":{"ports":[{"port":80},{"port":443,"targetPort":"https","protocol":"UDP"}],
            "sessionAffinity":"ClientIP","clusterIP":"10.0.0.1"}})");
  svc->type().set_defaults(*svc);
  const Service& s = *as<Service>(*svc);
  CHECK(s.spec.type == "ClusterIP");
  CHECK(s.spec.ports[0].protocol == "TCP");
  CHECK(s.spec.ports[0].target_port == IntOrString::from_int(80));
  CHECK(s.spec.ports[1].protocol == "UDP");
  CHECK(s.spec.ports[1].target_port == IntOrString::from_string("https"));
  CHECK(s.spec.session_affinity_config->client_ip->timeout_seconds == 10800);
  CHECK(s.spec.internal_traffic_policy == "Cluster");
  CHECK(s.spec.external_traffic_policy.empty());
  CHECK(s.spec.cluster_ips == std::vector<std::string>{"10.0.0.1"});

  auto lb = load(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
    "spec":{"type":"LoadBalancer","ports":[{"port":80}],"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}}}})");
  lb->type().set_defaults(*lb);
  CHECK(as<Service>(*lb)->spec.session_affinity == "None");
  CHECK_FALSE(as<Service>(*lb)->spec.session_affinity_config.has_value());
  CHECK(as<Service>(*lb)->spec.external_traffic_policy == "Cluster");
  CHECK(as<Service>(*lb)->spec.allocate_load_balancer_node_ports == true);
}
