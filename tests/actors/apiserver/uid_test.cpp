// API server: UIDs are unique across restarts of a data directory, and reproducible from
// the seed for a fresh cluster.
#include <filesystem>
#include <set>

#include "tests/support/temp_dir.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {


/// The UIDs of every namespace and priority class (what each start bootstraps or finds).
std::vector<std::string> existing_uids(client::BlockingClient& c) {
  std::vector<std::string> uids;
  for (const auto* type : {&api::Namespace::static_type(), &api::PriorityClass::static_type()}) {
    auto list = c.list(*type, "");
    REQUIRE(list.has_value());
    for (const auto& obj : list->items) uids.push_back(obj->metadata.uid);
  }
  return uids;
}

/// Creates `n` ConfigMaps (plus one dry run) and returns the UIDs handed out.
std::vector<std::string> create_config_maps(client::BlockingClient& c, const std::string& prefix,
                                            int n) {
  std::vector<std::string> uids;
  for (int i = 0; i <= n; ++i) {
    api::ConfigMap cm;
    cm.metadata.namespace_ = "default";
    cm.metadata.name = prefix + "-" + std::to_string(i);
    const bool dry_run = i == n;
    auto created = c.create(static_cast<const api::Object&>(cm), dry_run);
    REQUIRE(created.has_value());
    uids.push_back((*created)->metadata.uid);
  }
  return uids;
}

/// A fresh in-memory control plane with this seed: the UIDs of what it bootstraps and of
/// three ConfigMaps created in it.
std::vector<std::string> uids_of_fresh_plane(uint64_t seed) {
  runtime::ActorSystem system{2};
  VirtualClock clock(test_epoch());
  runtime::ControlPlaneOptions options;
  options.clock = &clock;
  options.seed = seed;
  auto plane = runtime::ControlPlane::start(system.get(), options);
  REQUIRE(plane.has_value());
  client::BlockingClient c(system.get(), (*plane)->apiserver());
  auto uids = existing_uids(c);
  auto created = create_config_maps(c, "cm", 3);
  uids.insert(uids.end(), created.begin(), created.end());
  return uids;
}

}  // namespace

TEST_CASE("a control plane restarted on its data directory never hands out a UID again",
          "[apiserver][uid]") {
  TempDir dir{"kactor-uids"};
  REQUIRE_FALSE(dir.path().empty());
  std::set<std::string> handed_out;
  for (int start = 1; start <= 3; ++start) {
    INFO("start " << start << " on " << dir.path());
    ApiFixture f({}, dir.path());
    if (start == 1)
      for (const auto& uid : existing_uids(*f.client)) handed_out.insert(uid);
    for (const auto& uid : create_config_maps(*f.client, "start" + std::to_string(start), 5)) {
      INFO("uid " << uid);
      CHECK(handed_out.insert(uid).second);
    }
  }
  CHECK(handed_out.size() == 6 + 3 * 6);  // bootstrapped objects + 3 starts x (5 + dry run)
}

TEST_CASE("fresh control planes with the same seed hand out the same UIDs", "[apiserver][uid]") {
  // Fixed seeds: the point is that they reproduce.
  const auto first = uids_of_fresh_plane(42);
  CHECK(uids_of_fresh_plane(42) == first);
  const auto other = uids_of_fresh_plane(43);
  REQUIRE(other.size() == first.size());
  for (size_t i = 0; i < first.size(); ++i) CHECK(other[i] != first[i]);
}
