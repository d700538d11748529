#include "role_processes.hpp"

#include <poll.h>

namespace kactor::testing {

bool wait_list(const std::function<std::unique_ptr<http::client::RestClient>()>& client,
               const api::TypeInfo& type, const std::function<bool(const Objects&)>& holds,
               std::chrono::milliseconds deadline, const std::string& ns) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (auto c = client()) {
      auto listed = c->list(type, ns);
      if (listed && holds(*listed)) return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    ::poll(nullptr, 0, 200);  // re-check the condition every 200 ms until the deadline
  }
}

namespace {

bool of_rc_on(const api::Pod& p, const std::string& rc, const std::string& node_prefix) {
  auto app = p.metadata.labels.find("app");
  return app != p.metadata.labels.end() && app->second == rc && !p.spec.node_name.empty() &&
         p.spec.node_name.rfind(node_prefix, 0) == 0;
}

}  // namespace

size_t running_pods(const Objects& pods, const std::string& rc, const std::string& node_prefix) {
  size_t n = 0;
  for (const auto& o : pods) {
    const auto& p = static_cast<const api::Pod&>(*o);
    if (!of_rc_on(p, rc, node_prefix)) continue;
    if (p.metadata.deletion_timestamp || p.status.phase != "Running") continue;
    ++n;
  }
  return n;
}

size_t bound_pods(const Objects& pods, const std::string& rc, const std::string& node_prefix) {
  size_t n = 0;
  for (const auto& o : pods) n += of_rc_on(static_cast<const api::Pod&>(*o), rc, node_prefix);
  return n;
}

size_t endpoint_addresses(const Objects& endpoints, const std::string& name) {
  for (const auto& o : endpoints) {
    if (o->metadata.name != name) continue;
    size_t n = 0;
    for (const auto& s : static_cast<const api::Endpoints&>(*o).subsets) n += s.addresses.size();
    return n;
  }
  return 0;
}

std::string node_ready(const api::Node& n) {
  const auto* c = n.status.condition("Ready");
  return c ? c->status : "";
}

size_t nodes_ready(const Objects& nodes, const std::string& prefix, const std::string& status) {
  size_t n = 0;
  for (const auto& o : nodes)
    if (o->metadata.name.rfind(prefix, 0) == 0 &&
        node_ready(static_cast<const api::Node&>(*o)) == status)
      ++n;
  return n;
}

}  // namespace kactor::testing
