// SharedVector<T>: a std::vector that copies share until one of them changes.
#include <algorithm>

#include <catch2/catch.hpp>

#include "api/codec/object_codec.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

using namespace kactor::api;

namespace {

Toleration toleration(const std::string& key) {
  Toleration t;
  t.key = key;
  t.operator_ = "Exists";
  return t;
}

}  // namespace

TEST_CASE("SharedVector reads and changes as a vector", "[api][shared_vector]") {
  SharedVector<int> v;
  CHECK(v.empty());
  CHECK(v.size() == 0);
  CHECK(v.begin() == v.end());
  CHECK(v.get().empty());
  v.push_back(3);
  v.emplace_back(1);
  v.insert(v.begin(), 2);
  CHECK(v.get() == std::vector<int>{2, 3, 1});
  std::sort(v.begin(), v.end());
  CHECK(v == std::vector<int>{1, 2, 3});
  v.erase(v.begin() + 1);
  CHECK(v.front() == 1);
  CHECK(v.back() == 3);
  v[0] = 7;
  CHECK(std::as_const(v)[0] == 7);
  v.resize(4);
  CHECK(v.size() == 4);
  const std::vector<int>& as_vector = v;  // where a vector is asked for
  CHECK(as_vector.size() == 4);
  v.clear();
  CHECK(v.empty());
  CHECK(v == SharedVector<int>{});
  v = {4, 5};
  CHECK(v.size() == 2);
}

TEST_CASE("SharedVector copies share the list until one changes, and compare by value",
          "[api][shared_vector]") {
  SharedVector<Toleration> a{toleration("x")};
  const SharedVector<Toleration> b = a;  // shares
  CHECK(b.shares_with(a));
  CHECK(&b[0] == &std::as_const(a)[0]);

  a[0].key = "y";  // a non-const access unshares first
  CHECK_FALSE(b.shares_with(a));
  CHECK(b[0].key == "x");
  CHECK(a[0].key == "y");
  CHECK_FALSE(a == b);

  SharedVector<Toleration> c = b;
  c.push_back(toleration("z"));
  CHECK(b.size() == 1);
  CHECK(c.size() == 2);

  // Equal lists held apart compare equal, and share_if_equal makes them one.
  SharedVector<Toleration> d{toleration("x")};
  CHECK(d == b);
  CHECK_FALSE(d.shares_with(b));
  CHECK(d.share_if_equal(b));
  CHECK(d.shares_with(b));
  CHECK_FALSE(a.share_if_equal(b));  // not equal: a keeps its own
  CHECK(a[0].key == "y");
  SharedVector<Toleration> empty;
  CHECK_FALSE(empty.share_if_equal(SharedVector<Toleration>{}));  // nothing to share
}

TEST_CASE("a pod's shared lists survive both codecs", "[api][shared_vector]") {
  Pod pod = testing::make_pod("default", "p");
  pod.spec.tolerations = {toleration("node.kubernetes.io/not-ready")};
  Volume scratch;
  scratch.name = "scratch";
  scratch.empty_dir.emplace();
  pod.spec.volumes.push_back(scratch);
  Container second = pod.spec.containers.front();
  second.name = "second";
  pod.spec.containers.push_back(second);

  auto from_msgpack = decode_msgpack(Pod::static_type(), encode_msgpack(pod));
  REQUIRE(from_msgpack.has_value());
  const auto& m = static_cast<const Pod&>(**from_msgpack);
  CHECK(m == pod);
  CHECK(m.spec.containers.size() == 2);
  CHECK(m.spec.containers[1].name == "second");
  auto from_json = decode_json(std::string_view(encode_json_string(pod)));
  REQUIRE(from_json.has_value());
  CHECK(static_cast<const Pod&>(**from_json) == pod);
  auto json = encode_json(pod);
  CHECK(json["spec"]["tolerations"][0]["key"] == "node.kubernetes.io/not-ready");
  CHECK(json["spec"]["volumes"][0]["name"] == "scratch");
  CHECK(json["spec"]["containers"].size() == 2);

  // A copy of the pod (an object's next version) shares the lists.
  const Pod copy = pod;
  CHECK(copy.spec.containers.shares_with(pod.spec.containers));
  CHECK(copy.spec.volumes.shares_with(pod.spec.volumes));
  CHECK(copy.spec.tolerations.shares_with(pod.spec.tolerations));
}
