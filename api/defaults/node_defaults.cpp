#include "api/defaults/node_defaults.hpp"

namespace kactor::api {

void set_defaults(Node& node) {
  if (node.status.allocatable.empty() && !node.status.capacity.empty())
    node.status.allocatable = node.status.capacity;
  if (node.spec.pod_cidrs.empty() && !node.spec.pod_cidr.empty())
    node.spec.pod_cidrs = {node.spec.pod_cidr};
  if (node.spec.pod_cidr.empty() && !node.spec.pod_cidrs.empty())
    node.spec.pod_cidr = node.spec.pod_cidrs.front();
}

}  // namespace kactor::api
