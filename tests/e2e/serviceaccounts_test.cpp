// The Kubernetes task "Configure Service Accounts for Pods" with the real kubectl, its
// manifests unchanged (tests/e2e/manifests/serviceaccounts/): service accounts, tokens from
// `kubectl create token` that kubectl can then use, legacy token Secrets, the projected token
// volume, and opting out of it.
#include <algorithm>
#include <fstream>

#include <catch2/catch.hpp>

#include "actors/tokens/base64url.hpp"
#include "api/types/all.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;

namespace {

const std::string kManifests = KACTOR_E2E_MANIFESTS_DIR "/serviceaccounts/";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
/// The text with runs of spaces folded, so padded columns compare simply.
std::string folded(const std::string& text) {
  std::string out;
  for (const auto& l : folded_lines(text)) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("kubectl service accounts: the Configure Service Accounts for Pods walkthrough") {
  for (const auto& bin : kubectls()) {
    // No authentication cache, so a deleted account's token is refused at once.
    ServedCluster c(true, 2, std::chrono::seconds(30), {}, [](kactor::http::ServeOptions& s) {
      s.service_account_auth.cache_ttl = std::chrono::seconds(0);
    });
    Kubectl k(bin, c);
    INFO("kubectl " << k.minor());

    // Every namespace has its default account.
    auto accounts = folded_lines(k.run({"get", "serviceaccounts"}).out);
    REQUIRE(accounts.size() >= 2);
    CHECK(accounts[0] == "NAME SECRETS AGE");
    CHECK(accounts[1].starts_with("default 0 "));

    // A pod without an account runs as default, with the kube-api-access volume.
    REQUIRE(k.run({"run", "plain", "--image=nginx", "--restart=Never"}).exit_code == 0);
    auto yaml = k.run({"get", "pod", "plain", "-o", "yaml"}).out;
    CHECK(contains(yaml, "serviceAccountName: default"));
    CHECK(contains(yaml, "name: kube-api-access-"));
    CHECK(contains(yaml, "mountPath: /var/run/secrets/kubernetes.io/serviceaccount"));
    CHECK(contains(yaml, "expirationSeconds: 3607"));
    CHECK(contains(yaml, "name: kube-root-ca.crt"));
    CHECK(contains(yaml, "fieldPath: metadata.namespace"));

    // kubectl apply -f - <<EOF ... build-robot
    std::ifstream sa_file(kManifests + "build-robot.yaml");
    std::string sa((std::istreambuf_iterator<char>(sa_file)), {});
    CHECK(k.run({"apply", "-f", "-"}, sa).out == "serviceaccount/build-robot created\n");
    CHECK(k.run({"get", "serviceaccounts/build-robot", "-o", "jsonpath={.metadata.name}"}).out ==
          "build-robot");

    // A pod naming a missing account is refused.
    auto refused = k.run({"run", "lost", "--image=nginx", "--restart=Never", "--overrides",
                          R"({"spec":{"serviceAccountName":"ghost"}})"});
    CHECK(refused.exit_code != 0);
    CHECK(contains(refused.err, "error looking up service account default/ghost: serviceaccount "
                                "\"ghost\" not found"));

    // The pod's automountServiceAccountToken: false wins: no token volume, no mount.
    REQUIRE(k.run({"apply", "-f", kManifests + "my-pod.yaml"}).exit_code == 0);
    auto quiet = k.run({"get", "pod", "my-pod", "-o", "yaml"}).out;
    CHECK(contains(quiet, "serviceAccountName: build-robot"));
    CHECK_FALSE(contains(quiet, "kube-api-access-"));

    // The projected token for audience vault.
    REQUIRE(k.run({"create", "-f", kManifests + "pod-projected-svc-token.yaml"}).out ==
            "pod/nginx created\n");
    auto projected = k.run({"get", "pod", "nginx", "-o", "yaml"}).out;
    CHECK(contains(projected, "audience: vault"));
    CHECK(contains(projected, "mountPath: /var/run/secrets/tokens"));

    // A legacy token Secret gets filled by the token controller.
    REQUIRE(k.run({"apply", "-f", kManifests + "build-robot-secret.yaml"}).exit_code == 0);
    REQUIRE(c.cluster->wait_for(kactor::api::Secret::static_type(), [](const auto& objs) {
      return std::ranges::any_of(objs, [](const auto& o) {
        return o->metadata.name == "build-robot-secret" &&
               kactor::api::as<kactor::api::Secret>(*o)->data.contains("token");
      });
    }));
    auto described = folded(k.run({"describe", "secrets/build-robot-secret"}).out);
    CHECK(contains(described, "kubernetes.io/service-account.name: build-robot"));
    CHECK(contains(described, "kubernetes.io/service-account.uid: "));
    CHECK(contains(described, "namespace: 7 bytes"));
    CHECK(contains(described, "ca.crt:"));

    if (k.minor() >= 24) {
      // kubectl create token (1.24+), then that token as the only credential.
      auto token = k.run({"create", "token", "build-robot"});
      REQUIRE(token.exit_code == 0);
      std::string t = token.out.substr(0, token.out.find('\n'));
      REQUIRE(std::count(t.begin(), t.end(), '.') == 2);
      const auto ca = (c.dir / "pki" / "ca.crt").string();
      auto as_token = [&](const std::string& bearer, std::vector<std::string> args) {
        std::vector<std::string> all{"--kubeconfig=/dev/null", "--server=" + c.api->url(),
                                     "--certificate-authority=" + ca, "--token=" + bearer};
        all.insert(all.end(), args.begin(), args.end());
        return k.run(all);
      };
      auto as_robot = [&](std::vector<std::string> args) { return as_token(t, std::move(args)); };
      auto pods = as_robot({"get", "pods", "-o", "name"});
      CHECK(pods.exit_code == 0);
      CHECK(contains(pods.out, "pod/plain"));
      // The legacy Secret's token works too.
      auto legacy = k.run({"get", "secret", "build-robot-secret", "-o",
                           "jsonpath={.data.token}"});
      std::string b64 = legacy.out;
      for (auto& ch : b64) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
      while (!b64.empty() && b64.back() == '=') b64.pop_back();
      auto legacy_token = kactor::tokens::base64url_decode(b64);
      REQUIRE(legacy_token.has_value());
      CHECK(as_token(*legacy_token, {"get", "pods", "-o", "name"}).exit_code == 0);
      // Once the account is gone its tokens are refused.
      CHECK(k.run({"delete", "serviceaccount/build-robot"}).out ==
            "serviceaccount \"build-robot\" deleted\n");
      CHECK(as_robot({"get", "pods"}).exit_code != 0);
      CHECK(contains(as_robot({"get", "pods"}).err, "Unauthorized"));
    }
  }
}
