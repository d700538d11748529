// API server: graceful deletion, finalizers, preconditions, namespace lifecycle.
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "actors/common/logging.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("a pod on a node is deleted gracefully, then for good with grace 0",
          "[apiserver][delete]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());
  REQUIRE(f.client->bind("default", "web", "node-1").has_value());
  const auto& pods = api::Pod::static_type();

  auto first = f.client->remove(pods, "default", "web");
  REQUIRE(first.has_value());
  CHECK((*first)->metadata.deletion_timestamp.has_value());
  CHECK((*first)->metadata.deletion_grace_period_seconds == 30);
  CHECK((*first)->metadata.deletion_timestamp->value == test_epoch() + std::chrono::seconds(30));
  REQUIRE(f.client->get<api::Pod>("default", "web").has_value());

  // The kubelet, once the containers stopped, deletes with grace 0.
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(f.client->remove(pods, "default", "web", now).has_value());
  auto gone = f.client->get<api::Pod>("default", "web");
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error().reason == "NotFound");
}

TEST_CASE("an unscheduled pod is deleted at once", "[apiserver][delete]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "web").has_value());
  CHECK_FALSE(f.client->get<api::Pod>("default", "web").has_value());
}

TEST_CASE("finalizers hold an object until they are removed", "[apiserver][delete]") {
  ApiFixture f;
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "held";
  cm.metadata.finalizers = {"example.com/cleanup"};
  REQUIRE(f.client->create(cm).has_value());
  const auto& type = api::ConfigMap::static_type();

  auto deleting = f.client->remove(type, "default", "held");
  REQUIRE(deleting.has_value());
  CHECK((*deleting)->metadata.deletion_timestamp.has_value());
  auto still = f.client->get<api::ConfigMap>("default", "held");
  REQUIRE(still.has_value());

  auto released = **still;
  released.metadata.finalizers.clear();
  REQUIRE(f.client->update(released).has_value());
  CHECK_FALSE(f.client->get<api::ConfigMap>("default", "held").has_value());
}

TEST_CASE("delete preconditions and propagation policies", "[apiserver][delete]") {
  ApiFixture f;
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "c";
  auto created = f.client->create(cm);
  REQUIRE(created.has_value());
  const auto& type = api::ConfigMap::static_type();

  client::DeleteOptions wrong_uid;
  wrong_uid.precondition_uid = "not-the-uid";
  auto refused = f.client->remove(type, "default", "c", wrong_uid);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().reason == "Conflict");
  CHECK(refused.error().message ==
        "Operation cannot be fulfilled on configmaps \"c\": Precondition failed: UID in "
        "precondition: not-the-uid, UID in object meta: " +
            (*created)->metadata.uid);

  client::DeleteOptions orphan;
  orphan.propagation_policy = "Orphan";
  auto orphaning = f.client->remove(type, "default", "c", orphan);
  REQUIRE(orphaning.has_value());
  CHECK((*orphaning)->metadata.finalizers == std::vector<std::string>{"orphan"});
  CHECK((*orphaning)->metadata.deletion_timestamp.has_value());
}

TEST_CASE("namespace lifecycle: missing, Terminating, immortal", "[apiserver][namespace]") {
  ApiFixture f;
  auto in_missing = f.client->create(make_pod("nowhere", "web"));
  REQUIRE_FALSE(in_missing.has_value());
  CHECK(in_missing.error().code == 404);
  CHECK(in_missing.error().message == "namespaces \"nowhere\" not found");

  REQUIRE(f.client->create(make_namespace("team")).has_value());
  REQUIRE(f.client->create(make_pod("team", "before")).has_value());
  auto deleting = f.client->remove(api::Namespace::static_type(), "", "team");
  REQUIRE(deleting.has_value());
  auto ns = api::as<api::Namespace>(*deleting);
  CHECK(ns->status.phase == "Terminating");
  CHECK(ns->metadata.deletion_timestamp.has_value());
  CHECK(ns->spec.finalizers == std::vector<std::string>{"kubernetes"});

  auto refused = f.client->create(make_pod("team", "after"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().reason == "Forbidden");
  CHECK(refused.error().message ==
        "pods \"after\" is forbidden: unable to create new content in namespace team because it "
        "is being terminated");
  REQUIRE(refused.error().details.causes.size() == 1);
  CHECK(refused.error().details.causes[0].reason == "NamespaceTerminating");
  CHECK(refused.error().details.causes[0].field == "metadata.namespace");

  // Content may still be updated and deleted while the namespace terminates.
  REQUIRE(f.client->remove(api::Pod::static_type(), "team", "before").has_value());

  // Finalizing (what the namespace controller does last) removes the namespace.
  apiserver::Request fin;
  fin.verb = apiserver::Verb::finalize;
  fin.resource = "namespaces";
  fin.name = "team";
  auto empty = std::make_shared<api::Namespace>(*ns);
  empty->spec.finalizers.clear();
  fin.object = empty;
  auto finalized = f.client->call(fin);
  REQUIRE_FALSE(finalized.error.has_value());
  CHECK_FALSE(f.client->get<api::Namespace>("", "team").has_value());

  for (const char* immortal : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    auto r = f.client->remove(api::Namespace::static_type(), "", immortal);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == 403);
    CHECK(r.error().message ==
          "namespaces \"" + std::string(immortal) +
              "\" is forbidden: this namespace may not be deleted");
  }
}

namespace {

/// Captures what the "apiserver" logger writes while it lives. Create it before the API
/// server starts, so no other thread is logging while the sink is attached.
class CapturedLog {
 public:
  CapturedLog() : log_(actors::logger("apiserver")) { log_->sinks().push_back(sink_); }
  ~CapturedLog() { log_->sinks().pop_back(); }
  /// The captured lines that contain `text`.
  std::vector<std::string> lines_with(std::string_view text) const {
    std::vector<std::string> out;
    for (auto& line : sink_->last_formatted())
      if (line.find(text) != std::string::npos) out.push_back(line);
    return out;
  }

 private:
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_ =
      std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
};

}  // namespace

TEST_CASE("Orphan, Foreground and namespace deletes stay Terminating and warn once each",
          "[apiserver][delete]") {
  // Nothing finishes these yet (no garbage collector for them, no namespace controller):
  // the API server says so once per kind of request instead of failing silently.
  CapturedLog captured;
  {
    ApiFixture f;
    const auto& type = api::ConfigMap::static_type();
    int created = 0;
    for (const char* policy : {"Orphan", "Orphan", "Foreground", "Foreground"}) {
      api::ConfigMap cm;
      cm.metadata.namespace_ = "default";
      cm.metadata.name = "cm-" + std::to_string(created++);
      REQUIRE(f.client->create(cm).has_value());
      client::DeleteOptions options;
      options.propagation_policy = policy;
      REQUIRE(f.client->remove(type, "default", cm.metadata.name, options).has_value());
      auto held = f.client->get<api::ConfigMap>("default", cm.metadata.name);
      REQUIRE(held.has_value());
      CHECK((*held)->metadata.deletion_timestamp.has_value());
    }
    for (const char* name : {"team-a", "team-b"}) {
      REQUIRE(f.client->create(make_namespace(name)).has_value());
      REQUIRE(f.client->remove(api::Namespace::static_type(), "", name).has_value());
      auto ns = f.client->get<api::Namespace>("", name);
      REQUIRE(ns.has_value());
      CHECK((*ns)->status.phase == "Terminating");
    }
  }
  const auto warnings = captured.lines_with("stays Terminating");
  INFO([&] {
    std::string all;
    for (const auto& w : warnings) all += w;
    return all;
  }());
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].find("propagationPolicy=Orphan added the \"orphan\" finalizer to "
                         "configmaps \"default/cm-0\"") != std::string::npos);
  CHECK(warnings[1].find("propagationPolicy=Foreground added the \"foregroundDeletion\" "
                         "finalizer to configmaps \"default/cm-2\"") != std::string::npos);
  CHECK(warnings[2].find("DELETE made Terminating namespaces \"team-a\"") != std::string::npos);
}
