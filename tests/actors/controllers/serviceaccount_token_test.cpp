// The legacy token controller (serviceaccount-token) and the root CA publisher
// (root-ca-cert-publisher).
#include "actors/client/messages.hpp"
#include "actors/tokens/base64url.hpp"
#include "actors/tokens/jwt.hpp"
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

constexpr const char* kCa = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";

/// The waiter also wakes for Secrets and ConfigMaps.
void hear(ControllerFixture& f, const api::TypeInfo& type) {
  f.self->send(f.informers.get(type).actor, client::subscribe_atom::value,
               caf::actor_cast<caf::actor>(f.self));
}

std::string decode_base64(const std::string& text) {
  std::string url = text;
  for (auto& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!url.empty() && url.back() == '=') url.pop_back();
  return tokens::base64url_decode(url).value_or("<not base64>");
}

api::Secret token_secret(const std::string& name, const std::string& account) {
  api::Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = name;
  s.metadata.annotations["kubernetes.io/service-account.name"] = account;
  s.type = "kubernetes.io/service-account-token";
  return s;
}

}  // namespace

TEST_CASE("a service-account-token Secret gets a legacy token, the CA and the namespace, and "
          "goes with its account",
          "[controllers][serviceaccount-token]") {
  ControllerFixture f({"serviceaccount-token"});
  auto issuer = std::make_shared<const tokens::TokenIssuer>(*tokens::SigningKey::generate());
  f.options.token_issuer = issuer;
  f.options.root_ca_pem = kCa;
  hear(f, api::Secret::static_type());
  f.start();
  api::ServiceAccount robot;
  robot.metadata.namespace_ = "default";
  robot.metadata.name = "robot";
  auto sa = f.client->create(robot);
  REQUIRE(sa.has_value());
  REQUIRE(f.client->create(token_secret("robot-token", "robot")).has_value());

  std::shared_ptr<const api::Secret> filled;
  REQUIRE(f.wait_until([&] {
    auto s = f.client->get<api::Secret>("default", "robot-token");
    if (s && (*s)->data.contains("token")) filled = *s;
    return filled != nullptr;
  }));
  CHECK(decode_base64(filled->data.at("namespace")) == "default");
  CHECK(decode_base64(filled->data.at("ca.crt")) == kCa);
  CHECK(filled->metadata.annotations.at("kubernetes.io/service-account.uid") ==
        (*sa)->metadata.uid);
  auto claims = issuer->verify(decode_base64(filled->data.at("token")), 0);
  REQUIRE(claims.has_value());
  CHECK(claims->legacy);
  CHECK(claims->subject == "system:serviceaccount:default:robot");
  CHECK(claims->service_account.uid == (*sa)->metadata.uid);
  CHECK(claims->secret->name == "robot-token");

  // An ordinary Secret is none of its business.
  api::Secret opaque;
  opaque.metadata.namespace_ = "default";
  opaque.metadata.name = "plain";
  REQUIRE(f.client->create(opaque).has_value());

  REQUIRE(f.client->remove(api::ServiceAccount::static_type(), "default", "robot").has_value());
  REQUIRE(f.wait_until(
      [&] { return !f.client->get<api::Secret>("default", "robot-token").has_value(); }));
  auto plain = f.client->get<api::Secret>("default", "plain");
  REQUIRE(plain.has_value());
  CHECK((*plain)->data.empty());
}

TEST_CASE("every namespace gets kube-root-ca.crt, restored when deleted or edited",
          "[controllers][root-ca-cert-publisher]") {
  ControllerFixture f({"root-ca-cert-publisher"});
  f.options.root_ca_pem = kCa;
  hear(f, api::ConfigMap::static_type());
  f.start();
  REQUIRE(f.client->create(make_namespace("team-a")).has_value());
  auto published = [&](const std::string& ns) {
    auto cm = f.client->get<api::ConfigMap>(ns, "kube-root-ca.crt");
    return cm && (*cm)->data.contains("ca.crt") && (*cm)->data.at("ca.crt") == kCa;
  };
  REQUIRE(f.wait_until([&] {
    return published("team-a") && published("default") && published("kube-system");
  }));
  auto cm = f.client->get<api::ConfigMap>("team-a", "kube-root-ca.crt");
  REQUIRE(cm.has_value());
  CHECK((*cm)->metadata.annotations.at("kubernetes.io/description").starts_with(
      "Contains a CA bundle that can be used to verify the kube-apiserver"));

  auto edited = **cm;
  edited.data["ca.crt"] = "tampered";
  REQUIRE(f.client->update(edited).has_value());
  REQUIRE(f.wait_until([&] { return published("team-a"); }));
  REQUIRE(f.client->remove(api::ConfigMap::static_type(), "team-a", "kube-root-ca.crt")
              .has_value());
  REQUIRE(f.wait_until([&] { return published("team-a"); }));
}
