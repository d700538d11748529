// The API server survives a request whose handling throws: it answers 500 InternalError and
// serves the next request (actors/common/guarded.hpp). Before, CAF ended the actor and every
// later request got `request_receiver_down`. One that dies anyway is restarted by its
// supervisor (actors/common/supervisor.hpp).
#include <stdexcept>

#include "actors/apiserver/admission/admission.hpp"
#include "actors/common/messages.hpp"
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

}  // namespace

TEST_CASE("a request whose handling throws gets 500 InternalError and the API server serves on",
          "[apiserver][robustness]") {
  ApiFixture f(with_throwing_admission());
  auto failed = f.client->create(make_config_map("default", "boom"));
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code == 500);
  CHECK(failed.error().reason == "InternalError");
  CHECK(failed.error().message == "Internal error occurred: plugin bug on purpose");

  // Nothing half-written, and the next requests are served.
  auto missing = f.client->get<api::ConfigMap>("default", "boom");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().reason == "NotFound");
  REQUIRE(f.client->create(make_config_map("default", "fine")).has_value());
  CHECK(f.client->get<api::ConfigMap>("default", "fine").has_value());
}

TEST_CASE("a patch that sets kind or apiVersion to a non-string is refused, not fatal",
          "[apiserver][robustness]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_config_map("default", "c")).has_value());
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

TEST_CASE("an API server that dies is restarted after the back-off and serves its store",
          "[apiserver][robustness]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_config_map("default", "before")).has_value());
  caf::scoped_actor self{f.system.get()};
  // The supervisor's current incarnation (invalid once it has seen it die).
  auto current = [&] {
    caf::actor out;
    self->request(f.plane->apiserver(), std::chrono::seconds(10),
                  actors::supervisor_child_atom::value)
        .receive([&](caf::actor& a) { out = a; },
                 [&](caf::error& e) { FAIL(f.system.get().render(e)); });
    return out;
  };
  auto incarnation = current();
  REQUIRE(incarnation);
  self->send_exit(incarnation, caf::exit_reason::kill);
  // Wait (bounded) until the supervisor has seen the death and set its back-off timer.
  const auto noticed_by = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (current() && std::chrono::steady_clock::now() < noticed_by) {
  }
  REQUIRE_FALSE(current());

  // Until the back-off (1 s on the virtual clock) has passed, nothing serves.
  CHECK_FALSE(f.client->get<api::ConfigMap>("default", "before").has_value());
  f.clock.advance(std::chrono::seconds(1));
  // The restart runs in the supervisor: wait for it (real time, bounded), then the same
  // handle reaches the new API server, which loaded the store.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool served = false;
  while (!served && std::chrono::steady_clock::now() < deadline)
    served = f.client->get<api::ConfigMap>("default", "before").has_value();
  REQUIRE(served);
  CHECK(f.client->create(make_config_map("default", "after")).has_value());
}
