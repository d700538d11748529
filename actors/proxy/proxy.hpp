// kube-proxy: one per node. It watches Services, Endpoints and Nodes and answers
// connection requests as the node's packet rules would (see messages.hpp).
#pragma once

#include <string>

#include <caf/fwd.hpp>

namespace kactor::actors {
struct Context;
}

namespace kactor::proxy {

struct ProxyOptions {
  /// The node this proxy runs on; names its random stream ("proxy/<node>").
  std::string node_name;
};

/// Spawns the proxy of `options.node_name`. It uses the process's shared informers for
/// Services, Endpoints and Nodes, the context's clock for session affinity and
/// ctx.random("proxy/<node>") for endpoint choices.
caf::actor spawn_proxy(const actors::Context& ctx, ProxyOptions options);

}  // namespace kactor::proxy
