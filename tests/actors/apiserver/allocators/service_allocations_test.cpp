// Service ClusterIP and NodePort allocation: the bitmaps alone, then through the API server
// (create, update, delete, dry run, restart over the same data dir).
#include <filesystem>
#include <set>

#include "tests/support/temp_dir.hpp"
#include "actors/apiserver/allocators/range_allocators.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
namespace alloc = kactor::apiserver::allocators;

namespace {

api::Service make_service(const std::string& name, const std::string& type = "ClusterIP",
                          const std::string& cluster_ip = "") {
  api::Service s;
  s.metadata.namespace_ = "default";
  s.metadata.name = name;
  s.spec.type = type;
  s.spec.cluster_ip = cluster_ip;
  s.spec.selector = {{"app", name}};
  api::ServicePort p;
  p.port = 80;
  s.spec.ports.push_back(p);
  return s;
}

std::shared_ptr<const api::Service> create_ok(client::BlockingClient& c, const api::Service& s) {
  auto r = c.create(s);
  REQUIRE(r.has_value());
  return api::as<api::Service>(*r);
}

/// The single cause of a failed call, after checking it is 422 Invalid.
api::StatusCause invalid_cause(const api::Result<api::ObjectPtr>& r) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == 422);
  CHECK(r.error().reason == "Invalid");
  REQUIRE(r.error().details.causes.size() == 1);
  return r.error().details.causes[0];
}


}  // namespace

TEST_CASE("IPv4 CIDRs: exact ones refuse host bits, network flags drop them", "[allocator]") {
  CHECK(api::net::parse_ipv4_cidr("10.244.0.0/16")->to_string() == "10.244.0.0/16");
  CHECK_FALSE(api::net::parse_ipv4_cidr("10.244.1.0/16").has_value());
  CHECK(api::net::parse_ipv4_network("10.244.1.0/16")->to_string() == "10.244.0.0/16");
  CHECK(api::net::parse_ipv4_network("0.0.0.0/0")->contains(*api::net::parse_ipv4("192.168.1.1")));
  for (const char* bad : {"10.244.0.0", "10.244.0.0/33", "10.244.300.0/24", "010.1.1.1/8", ""})
    CHECK_FALSE(api::net::parse_ipv4_network(bad).has_value());
}

TEST_CASE("the IP allocator never hands out network or broadcast and prefers the upper band",
          "[allocator]") {
  auto ips = alloc::IpAllocator::create("10.96.0.0/12");
  REQUIRE(ips.has_value());
  CHECK(ips->offset() == 256);
  CHECK(ips->allocate("10.96.0.0") == alloc::AllocError::not_in_range);
  CHECK(ips->allocate("10.111.255.255") == alloc::AllocError::not_in_range);
  CHECK(ips->allocate("10.112.0.1") == alloc::AllocError::not_in_range);
  CHECK_FALSE(ips->allocate("10.96.0.10").has_value());
  CHECK(ips->allocate("10.96.0.10") == alloc::AllocError::already_allocated);
  Random random(42);
  INFO("seed 42");
  for (int i = 0; i < 200; ++i) {
    auto ip = ips->allocate_next(random);
    REQUIRE(ip.has_value());
    auto v = *api::net::parse_ipv4(*ip);
    CHECK(v - *api::net::parse_ipv4("10.96.0.0") - 1 >= 256);  // upper band
  }

  // A /28 has 14 usable addresses and no static band; all come out, then it is full.
  auto small = alloc::IpAllocator::create("192.168.0.0/28");
  REQUIRE(small.has_value());
  CHECK(small->offset() == 0);
  std::set<std::string> seen;
  for (int i = 0; i < 14; ++i) {
    auto ip = small->allocate_next(random);
    REQUIRE(ip.has_value());
    CHECK(*ip != "192.168.0.0");
    CHECK(*ip != "192.168.0.15");
    seen.insert(*ip);
  }
  CHECK(seen.size() == 14);
  CHECK_FALSE(small->allocate_next(random).has_value());
  small->release("192.168.0.7");
  CHECK(small->allocate_next(random) == "192.168.0.7");

  // A /24: offset 16; once the upper band is full, dynamic allocation uses the lower band.
  auto mid = alloc::IpAllocator::create("10.0.0.0/24");
  REQUIRE(mid.has_value());
  CHECK(mid->offset() == 16);
  for (int i = 0; i < 254 - 16; ++i) {
    auto ip = mid->allocate_next(random);
    REQUIRE(ip.has_value());
    CHECK(*api::net::parse_ipv4(*ip) - *api::net::parse_ipv4("10.0.0.0") - 1 >= 16);
  }
  auto low = mid->allocate_next(random);
  REQUIRE(low.has_value());
  CHECK(*api::net::parse_ipv4(*low) - *api::net::parse_ipv4("10.0.0.0") - 1 < 16);

  CHECK_FALSE(alloc::IpAllocator::create("10.96.0.1/12").has_value());
  CHECK_FALSE(alloc::IpAllocator::create("fd00::/108").has_value());
}

TEST_CASE("the port allocator covers its range with a static band", "[allocator]") {
  auto ports = alloc::PortAllocator::create(30000, 32767);
  REQUIRE(ports.has_value());
  CHECK(ports->offset() == 86);  // min(max(16, 2768/32), 128)
  CHECK(ports->allocate(29999) == alloc::AllocError::not_in_range);
  CHECK_FALSE(ports->allocate(30000).has_value());
  CHECK(ports->allocate(30000) == alloc::AllocError::already_allocated);
  Random random(7);
  INFO("seed 7");
  std::set<int32_t> seen;
  for (int i = 0; i < 500; ++i) {
    auto p = ports->allocate_next(random);
    REQUIRE(p.has_value());
    CHECK(*p >= 30086);
    CHECK(*p <= 32767);
    seen.insert(*p);
  }
  CHECK(seen.size() == 500);
}

TEST_CASE("services get unique ClusterIPs, released on delete", "[allocator]") {
  ApiFixture f;
  std::set<std::string> ips;
  for (int i = 0; i < 40; ++i) {
    auto svc = create_ok(*f.client, make_service("s" + std::to_string(i)));
    REQUIRE_FALSE(svc->spec.cluster_ip.empty());
    CHECK(svc->spec.cluster_ips == std::vector<std::string>{svc->spec.cluster_ip});
    CHECK(svc->spec.ip_families == std::vector<std::string>{"IPv4"});
    auto v = api::net::parse_ipv4(svc->spec.cluster_ip);
    REQUIRE(v.has_value());
    CHECK(api::net::parse_ipv4_cidr("10.96.0.0/12")->contains(*v));
    ips.insert(svc->spec.cluster_ip);
  }
  CHECK(ips.size() == 40);

  // A requested IP in use is refused with upstream's words; once freed it can be taken.
  auto first = api::as<api::Service>(*f.client->get(api::Service::static_type(), "default", "s0"));
  const std::string ip = first->spec.cluster_ip;
  auto dup = f.client->create(make_service("dup", "ClusterIP", ip));
  auto cause = invalid_cause(dup);
  CHECK(cause.field == "spec.clusterIPs[0]");
  CHECK(cause.message == "Invalid value: \"" + ip + "\": provided IP is already allocated");
  REQUIRE(f.client->remove(api::Service::static_type(), "default", "s0").has_value());
  auto again = create_ok(*f.client, make_service("dup", "ClusterIP", ip));
  CHECK(again->spec.cluster_ip == ip);

  // A static request in the lower band.
  auto fixed = create_ok(*f.client, make_service("dns", "ClusterIP", "10.96.0.10"));
  CHECK(fixed->spec.cluster_ip == "10.96.0.10");
  auto taken = f.client->create(make_service("dns2", "ClusterIP", "10.96.0.10"));
  CHECK(invalid_cause(taken).message ==
        "Invalid value: \"10.96.0.10\": provided IP is already allocated");
  auto outside = f.client->create(make_service("far", "ClusterIP", "192.168.1.1"));
  CHECK(invalid_cause(outside).message ==
        "Invalid value: \"192.168.1.1\": provided IP is not in the valid range. The range of "
        "valid IPs is 10.96.0.0/12");
}

TEST_CASE("headless and ExternalName services get no ClusterIP, dry runs keep nothing",
          "[allocator]") {
  ApiFixture f;
  auto headless = create_ok(*f.client, make_service("h", "ClusterIP", "None"));
  CHECK(headless->spec.cluster_ip == "None");
  CHECK(headless->spec.cluster_ips == std::vector<std::string>{"None"});
  auto ext = make_service("ext", "ExternalName");
  ext.spec.external_name = "example.com";
  ext.spec.selector.clear();
  ext.spec.ports.clear();
  auto e = create_ok(*f.client, ext);
  CHECK(e->spec.cluster_ip.empty());

  auto dry = f.client->create(make_service("dry", "NodePort", "10.96.0.20"), true);
  REQUIRE(dry.has_value());
  auto d = api::as<api::Service>(*dry);
  CHECK(d->spec.cluster_ip == "10.96.0.20");
  const int32_t port = d->spec.ports[0].node_port;
  CHECK(port >= 30000);
  // Neither the IP nor the port was kept.
  auto real = make_service("real", "NodePort", "10.96.0.20");
  real.spec.ports[0].node_port = port;
  auto r = create_ok(*f.client, real);
  CHECK(r->spec.ports[0].node_port == port);
}

TEST_CASE("NodePorts are allocated, honoured, refused when taken and released", "[allocator]") {
  ApiFixture f;
  auto np = create_ok(*f.client, make_service("web", "NodePort"));
  const int32_t port = np->spec.ports[0].node_port;
  CHECK(port >= 30000);
  CHECK(port <= 32767);

  auto want = make_service("fixed", "NodePort");
  want.spec.ports[0].node_port = 30080;
  CHECK(create_ok(*f.client, want)->spec.ports[0].node_port == 30080);
  auto dup = make_service("fixed2", "NodePort");
  dup.spec.ports[0].node_port = 30080;
  auto cause = invalid_cause(f.client->create(dup));
  CHECK(cause.field == "spec.ports[0].nodePort");
  CHECK(cause.message == "Invalid value: 30080: provided port is already allocated");
  auto low = make_service("low", "NodePort");
  low.spec.ports[0].node_port = 80;
  CHECK(invalid_cause(f.client->create(low)).message ==
        "Invalid value: 80: provided port is not in the valid range. The range of valid ports "
        "is 30000-32767");
  // The failed creates kept nothing: their ClusterIPs are free (the next create works).

  // Update: an added port gets a NodePort, the omitted ones keep theirs; a removed port's
  // NodePort is released.
  auto cur = api::as<api::Service>(*f.client->get(api::Service::static_type(), "default", "fixed"));
  api::Service next = *cur;
  next.spec.cluster_ip.clear();
  next.spec.cluster_ips.clear();
  next.spec.ports[0].node_port = 0;
  next.spec.ports[0].name = "http";
  api::ServicePort extra;
  extra.name = "https";
  extra.port = 443;
  next.spec.ports.push_back(extra);
  auto updated = f.client->update(next);
  REQUIRE(updated.has_value());
  auto u = api::as<api::Service>(*updated);
  CHECK(u->spec.cluster_ip == cur->spec.cluster_ip);
  CHECK(u->spec.ports[0].node_port == 30080);
  const int32_t added = u->spec.ports[1].node_port;
  CHECK(added >= 30000);
  CHECK(added != 30080);

  next = *u;
  next.spec.ports.erase(next.spec.ports.begin());  // drop 30080
  next.spec.ports[0].name.clear();
  REQUIRE(f.client->update(next).has_value());
  CHECK(create_ok(*f.client, dup)->spec.ports[0].node_port == 30080);

  // Changing the ClusterIP is refused.
  auto fresh = api::as<api::Service>(*f.client->get(api::Service::static_type(), "default", "web"));
  api::Service moved = *fresh;
  moved.spec.cluster_ip = "10.96.0.99";
  moved.spec.cluster_ips = {"10.96.0.99"};
  auto refused = f.client->update(moved);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 422);

  // Type change to ClusterIP gives the NodePort back.
  api::Service plain = *fresh;
  plain.spec.type = "ClusterIP";
  plain.spec.external_traffic_policy.clear();
  REQUIRE(f.client->update(plain).has_value());
  auto reuse = make_service("reuse", "NodePort");
  reuse.spec.ports[0].node_port = port;
  CHECK(create_ok(*f.client, reuse)->spec.ports[0].node_port == port);

  // Delete releases.
  REQUIRE(f.client->remove(api::Service::static_type(), "default", "reuse").has_value());
  auto reuse2 = make_service("reuse2", "NodePort");
  reuse2.spec.ports[0].node_port = port;
  CHECK(create_ok(*f.client, reuse2)->spec.ports[0].node_port == port);
}

TEST_CASE("allocations survive a restart of the API server", "[allocator]") {
  TempDir dir{"kactor-alloc"};
  std::string ip;
  int32_t port = 0, health = 0;
  {
    ApiFixture f({}, dir.path());
    auto svc = create_ok(*f.client, make_service("web", "NodePort"));
    ip = svc->spec.cluster_ip;
    port = svc->spec.ports[0].node_port;
    auto local = make_service("lb", "LoadBalancer");
    local.spec.external_traffic_policy = "Local";
    health = create_ok(*f.client, local)->spec.health_check_node_port;
  }
  ApiFixture f({}, dir.path());
  auto dup_ip = f.client->create(make_service("other", "ClusterIP", ip));
  CHECK(invalid_cause(dup_ip).message ==
        "Invalid value: \"" + ip + "\": provided IP is already allocated");
  auto dup_port = make_service("other", "NodePort");
  dup_port.spec.ports[0].node_port = port;
  CHECK(invalid_cause(f.client->create(dup_port)).message ==
        "Invalid value: " + std::to_string(port) + ": provided port is already allocated");
  auto dup_health = make_service("other", "NodePort");
  dup_health.spec.ports[0].node_port = health;
  CHECK(invalid_cause(f.client->create(dup_health)).message ==
        "Invalid value: " + std::to_string(health) + ": provided port is already allocated");
  // New dynamic allocations never collide with the restored ones.
  for (int i = 0; i < 20; ++i) {
    auto s = create_ok(*f.client, make_service("n" + std::to_string(i), "NodePort"));
    CHECK(s->spec.cluster_ip != ip);
    CHECK(s->spec.ports[0].node_port != port);
    CHECK(s->spec.ports[0].node_port != health);
  }
}

TEST_CASE("a LoadBalancer with externalTrafficPolicy Local gets a healthCheckNodePort, released "
          "when it no longer needs one", "[allocator]") {
  ApiFixture f;
  auto local = make_service("lb", "LoadBalancer");
  local.spec.external_traffic_policy = "Local";
  auto lb = create_ok(*f.client, local);
  const int32_t health = lb->spec.health_check_node_port;
  CHECK(health >= 30000);
  CHECK(health <= 32767);
  CHECK(health != lb->spec.ports[0].node_port);
  // A Cluster policy needs none, and may not name one.
  auto cluster = create_ok(*f.client, make_service("lb-cluster", "LoadBalancer"));
  CHECK(cluster->spec.external_traffic_policy == "Cluster");
  CHECK(cluster->spec.health_check_node_port == 0);
  auto named = make_service("lb-named", "LoadBalancer");
  named.spec.health_check_node_port = 30111;
  CHECK(invalid_cause(f.client->create(named)).field == "spec.healthCheckNodePort");

  // A requested one is honoured; the range is the NodePorts', so it is taken for those too.
  auto fixed = local;
  fixed.metadata.name = "lb-fixed";
  fixed.spec.health_check_node_port = 30090;
  CHECK(create_ok(*f.client, fixed)->spec.health_check_node_port == 30090);
  auto again = fixed;
  again.metadata.name = "lb-again";
  auto refused = f.client->create(again);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 500);
  CHECK(refused.error().message ==
        "Internal error occurred: failed to allocate requested HealthCheck NodePort 30090: "
        "provided port is already allocated");
  auto clash = make_service("np", "NodePort");
  clash.spec.ports[0].node_port = 30090;
  CHECK(invalid_cause(f.client->create(clash)).message ==
        "Invalid value: 30090: provided port is already allocated");

  // An update that omits it keeps it; one to Cluster drops it and gives it back.
  api::Service next = *lb;
  next.spec.health_check_node_port = 0;
  next.metadata.labels["touched"] = "yes";
  auto kept = f.client->update(next);
  REQUIRE(kept.has_value());
  CHECK(api::as<api::Service>(**kept)->spec.health_check_node_port == health);
  api::Service to_cluster = *api::as<api::Service>(**kept);
  to_cluster.spec.external_traffic_policy = "Cluster";
  auto dropped = f.client->update(to_cluster);
  REQUIRE(dropped.has_value());
  CHECK(api::as<api::Service>(**dropped)->spec.health_check_node_port == 0);
  auto reuse = local;
  reuse.metadata.name = "lb-reuse";
  reuse.spec.health_check_node_port = health;
  CHECK(create_ok(*f.client, reuse)->spec.health_check_node_port == health);
  // Back to Local: a new one.
  api::Service to_local = *api::as<api::Service>(**dropped);
  to_local.spec.external_traffic_policy = "Local";
  auto renewed = f.client->update(to_local);
  REQUIRE(renewed.has_value());
  const int32_t second = api::as<api::Service>(**renewed)->spec.health_check_node_port;
  CHECK(second >= 30000);
  CHECK(second != health);

  // Deleting the Service gives it back.
  REQUIRE(f.client->remove(api::Service::static_type(), "default", "lb-fixed").has_value());
  auto after = again;
  after.metadata.name = "lb-after";
  CHECK(create_ok(*f.client, after)->spec.health_check_node_port == 30090);
}
