// Kubelet building blocks without actors: pod IP allocation, back-off, QoS.
#include <catch2/catch.hpp>

#include "actors/kubelet/pod_ips.hpp"
#include "actors/kubelet/pod_worker.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace std::chrono_literals;

TEST_CASE("pod IPs are unique, skip network and gateway, and are reused",
          "[kubelet][kubelet-ips]") {
  PodIpAllocator ips;
  CHECK(!ips.allocate("a"));  // no CIDR yet
  CHECK(!ips.set_cidr("10.244.1.0"));
  CHECK(!ips.set_cidr("10.244.1.0/33"));
  CHECK(!ips.set_cidr("10.244.300.0/24"));
  REQUIRE(ips.set_cidr("10.244.1.0/24"));
  CHECK(ips.allocate("a") == "10.244.1.2");
  CHECK(ips.allocate("b") == "10.244.1.3");
  CHECK(ips.allocate("a") == "10.244.1.2");  // same owner, same address
  ips.release("a");
  CHECK(ips.allocate("c") == "10.244.1.2");
  std::set<std::string> seen{"10.244.1.2", "10.244.1.3"};
  for (int i = 0; i < 251; ++i) {
    auto ip = ips.allocate("p" + std::to_string(i));
    REQUIRE(ip);
    CHECK(seen.insert(*ip).second);
  }
  CHECK(!ips.allocate("overflow"));  // .0, .1 and .255 are never handed out
  CHECK(!seen.contains("10.244.1.255"));
}

TEST_CASE("crash loop back-off doubles to 300 s and resets after 10 min",
          "[kubelet][kubelet-backoff]") {
  Duration d = Duration::zero();
  std::vector<int64_t> got;
  for (int i = 0; i < 8; ++i) {
    d = next_backoff(d, 1s);
    got.push_back(std::chrono::duration_cast<std::chrono::seconds>(d).count());
  }
  CHECK(got == std::vector<int64_t>{10, 20, 40, 80, 160, 300, 300, 300});
  CHECK(next_backoff(300s, 10min) == 10s);
}
