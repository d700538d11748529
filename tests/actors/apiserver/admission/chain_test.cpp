// The admission chain: its plugins in upstream's order, and --disable-admission-plugins
// leaving some out (unknown names refused with upstream's message).
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("the admission chain names its plugins in upstream's order", "[apiserver][admission]") {
  CHECK(apiserver::admission_plugin_names() ==
        std::vector<std::string>{"NamespaceLifecycle", "LimitRanger", "ServiceAccount",
                                 "DefaultTolerationSeconds", "Priority", "ResourceQuota"});
  CHECK_FALSE(apiserver::check_disabled_admission_plugins({}).has_value());
  CHECK_FALSE(apiserver::check_disabled_admission_plugins({"ServiceAccount", "Priority"}).has_value());
  CHECK(apiserver::check_disabled_admission_plugins({"ServiceAccount", "AlwaysPullImages", "foo"}) ==
        "disable-admission-plugins plugin \"AlwaysPullImages\" is unknown; "
        "disable-admission-plugins plugin \"foo\" is unknown");
}

TEST_CASE("a disabled admission plugin does not touch what is created", "[apiserver][admission]") {
  SECTION("ServiceAccount on: the default account and its token volume") {
    ApiFixture f;
    auto created = f.client->create(make_pod("default", "web"));
    REQUIRE(created.has_value());
    CHECK((*created)->spec.service_account_name == "default");
    CHECK((*created)->spec.volumes.size() == 1);
  }
  SECTION("ServiceAccount and DefaultTolerationSeconds off: neither is added") {
    apiserver::ApiServerOptions opts;
    opts.admission_options.disabled_plugins = {"ServiceAccount", "DefaultTolerationSeconds"};
    ApiFixture f(opts);
    auto created = f.client->create(make_pod("default", "web"));
    REQUIRE(created.has_value());
    CHECK((*created)->spec.service_account_name.empty());
    CHECK((*created)->spec.volumes.empty());
    CHECK((*created)->spec.tolerations.empty());
  }
}
