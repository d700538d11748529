// An informer's Cache: its indexes follow every upsert, whether an update keeps the object
// under the same index values (its entry holds the new version) or moves it.
#include "actors/client/cache.hpp"

#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::ObjectPtr pod_on(const std::string& name, const std::string& node, const std::string& rv) {
  auto p = std::make_shared<api::Pod>(make_pod("default", name));
  p->spec.node_name = node;
  p->metadata.resource_version = rv;
  return p;
}

std::vector<std::string> versions(const std::vector<api::ObjectPtr>& objects) {
  std::vector<std::string> out;
  for (auto& o : objects) out.push_back(o->metadata.name + "@" + o->metadata.resource_version);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a cache's indexes follow updates that keep or change an object's index values",
          "[cache]") {
  client::Cache cache;
  cache.add_index("node", [](const api::Object& o) {
    return std::vector<std::string>{static_cast<const api::Pod&>(o).spec.node_name};
  });
  cache.upsert(pod_on("a", "n1", "1"));
  cache.upsert(pod_on("b", "n1", "2"));

  // Same node: the index hands out the new version, not the one it was filed with.
  auto old = cache.upsert(pod_on("a", "n1", "3"));
  REQUIRE(old);
  CHECK(old->metadata.resource_version == "1");
  CHECK(versions(cache.by_index("node", "n1")) == std::vector<std::string>{"a@3", "b@2"});
  CHECK(versions(cache.by_index("namespace", "default")) == std::vector<std::string>{"a@3", "b@2"});

  // Another node: filed there only.
  cache.upsert(pod_on("a", "n2", "4"));
  CHECK(versions(cache.by_index("node", "n1")) == std::vector<std::string>{"b@2"});
  CHECK(versions(cache.by_index("node", "n2")) == std::vector<std::string>{"a@4"});

  // Gone: from every index, and an empty value is dropped.
  cache.erase(api::object_key(*pod_on("a", "", "")));
  CHECK(cache.by_index("node", "n2").empty());
  CHECK(versions(cache.by_index("namespace", "default")) == std::vector<std::string>{"b@2"});
  CHECK(cache.size() == 1);
}

TEST_CASE("a cache's index lists in key order, also when added after its objects", "[cache]") {
  client::Cache cache;
  for (auto name : {"c", "a", "b"}) cache.upsert(pod_on(name, "n1", "1"));
  // Filed under two values at once: its node and "any".
  cache.add_index("node", [](const api::Object& o) {
    return std::vector<std::string>{static_cast<const api::Pod&>(o).spec.node_name, "any"};
  });
  auto names = [&](const std::string& value) {
    std::vector<std::string> out;
    for (auto& o : cache.by_index("node", value)) out.push_back(o->metadata.name);
    return out;
  };
  CHECK(names("n1") == std::vector<std::string>{"a", "b", "c"});
  CHECK(names("any") == std::vector<std::string>{"a", "b", "c"});

  cache.upsert(pod_on("b", "n2", "2"));
  CHECK(names("n1") == std::vector<std::string>{"a", "c"});
  CHECK(names("n2") == std::vector<std::string>{"b"});
  CHECK(names("any") == std::vector<std::string>{"a", "b", "c"});

  // Erased and added again under the same key: filed once, with the new version.
  cache.erase(api::object_key(*pod_on("a", "", "")));
  CHECK(names("any") == std::vector<std::string>{"b", "c"});
  cache.upsert(pod_on("a", "n2", "3"));
  CHECK(names("n2") == std::vector<std::string>{"a", "b"});
  CHECK(versions(cache.by_index("node", "any")) == std::vector<std::string>{"a@3", "b@2", "c@1"});
}
