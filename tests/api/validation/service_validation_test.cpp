// Service and Endpoints validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of services and endpoints: upstream field paths and messages",
          "[validation]") {
  const std::string svc_meta =
      R"("apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"})";
  check_cases({
      {"service names are DNS-1035 labels",
       R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"1web","namespace":"default"},"spec":{"ports":[{"port":80}]}})",
       "",
       {{"metadata.name", std::string("Invalid value: \"1web\": ") + kDns1035Label}}},
      {"service without ports",
       "{" + svc_meta + R"(,"spec":{"selector":{"app":"web"}}})",
       "",
       {{"spec.ports", "Required value"}}},
      {"headless service without ports",
       "{" + svc_meta + R"(,"spec":{"clusterIP":"None"}})",
       "",
       {}},
      {"service ports",
       "{" + svc_meta + R"(,"spec":{"ports":[{"port":80},{"port":0,"name":"Http"},
          {"port":443,"name":"https","targetPort":"-bad"},{"port":443,"name":"tls"}]}})",
       "",
       {{"spec.ports[0].name", "Required value"},
        {"spec.ports[1].name", std::string("Invalid value: \"Http\": ") + kDns1123Label},
        {"spec.ports[1].port", "Invalid value: 0: must be between 1 and 65535, inclusive"},
        {"spec.ports[1].targetPort", "Invalid value: 0: must be between 1 and 65535, inclusive"},
        {"spec.ports[2].targetPort",
         "Invalid value: \"-bad\": must not begin or end with a hyphen"},
        {"spec.ports[3]", "Duplicate value: \"443/TCP\""}}},
      {"service type",
       "{" + svc_meta + R"(,"spec":{"type":"Magic","ports":[{"port":80,"nodePort":30000}]}})",
       "",
       {{"spec.type",
         "Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", "
         "\"LoadBalancer\", \"NodePort\""}}},
      {"ClusterIP services have no nodePort",
       "{" + svc_meta +
           R"(,"spec":{"ports":[{"port":80,"nodePort":30000}],"clusterIP":"10.0.0.300"}})",
       "",
       {{"spec.clusterIPs[0]",
         "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or "
         "2001:db8::ffff)"},
        {"spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'"}}},
      {"external name",
       "{" + svc_meta + R"(,"spec":{"type":"ExternalName"}})",
       "",
       {{"spec.externalName", "Required value"}}},
      {"clusterIP may not change",
       "{" + svc_meta + R"(,"spec":{"ports":[{"port":80}],"clusterIP":"10.0.0.2"}})",
       "{" + svc_meta + R"(,"spec":{"ports":[{"port":80}],"clusterIP":"10.0.0.1"}})",
       {{"spec.clusterIPs[0]", "Invalid value: []string{\"10.0.0.2\"}: may not change once set"}}},
      {"loadBalancerClass only for type LoadBalancer",
       "{" + svc_meta + R"(,"spec":{"ports":[{"port":80}],"loadBalancerClass":"example.com/lb"}})",
       "",
       {{"spec.loadBalancerClass", "Forbidden: may only be used when `type` is 'LoadBalancer'"}}},
      {"loadBalancerClass on a LoadBalancer",
       "{" + svc_meta +
           R"(,"spec":{"type":"LoadBalancer","ports":[{"port":80}],"loadBalancerClass":"example.com/lb"}})",
       "",
       {}},
      {"loadBalancerClass may not change",
       "{" + svc_meta +
           R"(,"spec":{"type":"LoadBalancer","ports":[{"port":80}],"loadBalancerClass":"example.com/other"}})",
       "{" + svc_meta +
           R"(,"spec":{"type":"LoadBalancer","ports":[{"port":80}],"loadBalancerClass":"example.com/lb"}})",
       {{"spec.loadBalancerClass", "Invalid value: \"example.com/other\": may not change once set"}}},
      {"endpoints",
       R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"e","namespace":"default"},
          "subsets":[{"addresses":[{"ip":"x"}],"ports":[{"port":80},{"port":81}]},{}]})",
       "",
       {{"subsets[0].addresses[0].ip",
         "Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"},
        {"subsets[0].ports[0].name", "Required value"},
        {"subsets[0].ports[1].name", "Required value"},
        {"subsets[1]", "Required value: must specify `addresses` or `notReadyAddresses`"}}},
  });
}
