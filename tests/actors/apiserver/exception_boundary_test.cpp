// The API server survives a request whose handling throws: it answers 500 InternalError and
// serves the next request (actors/common/guarded.hpp). Before, CAF ended the actor and every
// later request got `request_receiver_down`.
#include <stdexcept>

#include "actors/apiserver/admission/admission.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

/// A test-only admission plugin that throws for objects named "boom" (a bug in a plugin).
class ThrowingPlugin : public apiserver::AdmissionPlugin {
 public:
  std::string_view name() const override { return "Throwing"; }
  std::optional<api::Status> admit(apiserver::AdmissionRequest& request,
                                   const apiserver::ClusterView&) override {
    if (request.name == "boom") throw std::runtime_error("plugin bug on purpose");
    return std::nullopt;
  }
};

apiserver::ApiServerOptions with_throwing_admission() {
  apiserver::ApiServerOptions options;
  options.admission = [] {
    std::vector<std::unique_ptr<apiserver::AdmissionPlugin>> plugins;
    plugins.push_back(std::make_unique<ThrowingPlugin>());
    return apiserver::AdmissionChain(std::move(plugins));
  };
  return options;
}

api::ConfigMap config_map(const std::string& name) {
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = name;
  return cm;
}

}  // namespace

TEST_CASE("a request whose handling throws gets 500 InternalError and the API server serves on",
          "[apiserver][robustness]") {
  ApiFixture f(with_throwing_admission());
  auto failed = f.client->create(config_map("boom"));
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code == 500);
  CHECK(failed.error().reason == "InternalError");
  CHECK(failed.error().message == "Internal error occurred: plugin bug on purpose");

  // Nothing half-written, and the next requests are served.
  auto missing = f.client->get<api::ConfigMap>("default", "boom");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().reason == "NotFound");
  REQUIRE(f.client->create(config_map("fine")).has_value());
  CHECK(f.client->get<api::ConfigMap>("default", "fine").has_value());
}

TEST_CASE("a patch that sets kind or apiVersion to a non-string is refused, not fatal",
          "[apiserver][robustness]") {
  ApiFixture f;
  REQUIRE(f.client->create(config_map("c")).has_value());
  const auto& type = api::ConfigMap::static_type();
  for (const std::string body :
       {R"({"kind": 5})", R"({"apiVersion": {"a": 1}})", R"({"kind": ["x"]})"}) {
    INFO(body);
    auto patched = f.client->patch(type, "default", "c", "application/merge-patch+json", body);
    REQUIRE_FALSE(patched.has_value());
    // A 4xx once the decoders refuse it (api/codec), a 500 from the boundary until then;
    // never the actor's death.
    CHECK(patched.error().reason != "ServiceUnavailable");
    CHECK(patched.error().message.find("request_receiver_down") == std::string::npos);
    REQUIRE(f.client->get<api::ConfigMap>("default", "c").has_value());
  }
}
