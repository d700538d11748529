#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "actors/tokens/base64url.hpp"
#include "actors/tokens/jwt.hpp"
#include "actors/tokens/validate.hpp"

using namespace kactor::tokens;

namespace {

// One key for the whole file: RSA generation is the slow part.
const TokenIssuer& issuer() {
  static const TokenIssuer i(*SigningKey::generate());
  return i;
}

constexpr int64_t kNow = 1'800'000'000;

Claims bound_claims() {
  Claims c;
  c.namespace_ = "default";
  c.service_account = {"robot", "sa-uid"};
  c.audiences = {std::string(kDefaultIssuer)};
  c.issued_at = c.not_before = kNow;
  c.expires = kNow + 3600;
  return c;
}

nlohmann::json part(const std::string& token, int index) {
  size_t begin = 0;
  for (int i = 0; i < index; ++i) begin = token.find('.', begin) + 1;
  auto end = token.find('.', begin);
  return nlohmann::json::parse(*base64url_decode(token.substr(begin, end - begin)));
}

struct FakeLookup : ObjectLookup {
  std::map<std::string, LookedUp> objects;  // "resource/ns/name"
  std::optional<LookedUp> find(std::string_view resource, std::string_view ns,
                               std::string_view name) const override {
    auto it = objects.find(std::string(resource) + "/" + std::string(ns) + "/" + std::string(name));
    if (it == objects.end()) return std::nullopt;
    return it->second;
  }
};

}  // namespace

TEST_CASE("base64url round-trips every length and refuses foreign characters", "[tokens]") {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    CHECK(base64url_decode(base64url_encode(bytes)) == bytes);
    bytes.push_back(char(n * 37));
  }
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK_FALSE(base64url_decode("ab+c"));
  CHECK_FALSE(base64url_decode("abc="));
  CHECK_FALSE(base64url_decode("a"));
}

TEST_CASE("an issued token verifies and carries upstream's claims", "[tokens]") {
  auto c = bound_claims();
  c.pod = BoundObject{"web", "pod-uid"};
  c.warn_after = kNow + 3600;
  auto token = issuer().issue(c);
  auto header = part(token, 0);
  CHECK(header["alg"] == "RS256");
  CHECK(header["kid"] == issuer().key().key_id());
  auto payload = part(token, 1);
  CHECK(payload["iss"] == "https://kubernetes.default.svc.cluster.local");
  CHECK(payload["sub"] == "system:serviceaccount:default:robot");
  CHECK(payload["aud"] == nlohmann::json::array({"https://kubernetes.default.svc.cluster.local"}));
  CHECK(payload["exp"] == kNow + 3600);
  CHECK(payload["kubernetes.io"]["namespace"] == "default");
  CHECK(payload["kubernetes.io"]["serviceaccount"] ==
        nlohmann::json({{"name", "robot"}, {"uid", "sa-uid"}}));
  CHECK(payload["kubernetes.io"]["pod"]["uid"] == "pod-uid");
  CHECK(payload["kubernetes.io"]["warnafter"] == kNow + 3600);

  auto verified = issuer().verify(token, kNow + 10);
  REQUIRE(verified);
  c.issuer = std::string(kDefaultIssuer);
  c.subject = "system:serviceaccount:default:robot";
  CHECK(*verified == c);
}

TEST_CASE("expired, early, tampered and foreign tokens are refused", "[tokens]") {
  auto token = issuer().issue(bound_claims());
  auto why = [&](std::string_view t, int64_t now) {
    auto r = issuer().verify(t, now);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == 401);
    return r.error().message;
  };
  CHECK(why(token, kNow + 3600) == "the token has expired");
  CHECK(why(token, kNow - 1) == "the token is not valid yet");

  SECTION("a changed payload breaks the signature") {
    auto claims = bound_claims();
    claims.service_account.name = "admin";
    auto forged = issuer().issue(claims);
    auto dot1 = token.find('.'), dot2 = token.rfind('.');
    auto dot1f = forged.find('.'), dot2f = forged.rfind('.');
    auto spliced = token.substr(0, dot1 + 1) + forged.substr(dot1f + 1, dot2f - dot1f - 1) +
                   token.substr(dot2);
    CHECK(why(spliced, kNow) == "the token's signature is invalid");
  }
  SECTION("another key's token") {
    TokenIssuer other(*SigningKey::generate());
    CHECK(why(other.issue(bound_claims()), kNow) == "the token's signature is invalid");
  }
  SECTION("alg none, with or without a signature") {
    auto none = base64url_encode(R"({"alg":"none"})") + "." +
                token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
    CHECK(why(none + ".", kNow) == "the token is not signed with RS256");
    CHECK(why(none + token.substr(token.rfind('.')), kNow) ==
          "the token is not signed with RS256");
  }
  SECTION("garbage") {
    CHECK(why("", kNow) == "not a JWT (three dot-separated parts)");
    CHECK(why("a.b", kNow) == "not a JWT (three dot-separated parts)");
    CHECK(why("a.b.c.d", kNow) == "not a JWT (three dot-separated parts)");
    CHECK(why("@@.b.c", kNow) == "a part of the token is not base64url");
    CHECK(why(base64url_encode("[1]") + ".e30.", kNow) == "the token is not signed with RS256");
  }
  SECTION("another issuer") {
    TokenIssuer elsewhere(issuer().key(), "https://other.example");
    CHECK(why(elsewhere.issue(bound_claims()), kNow) ==
          "the token's issuer is not this cluster's");
  }
}

TEST_CASE("legacy Secret tokens carry the flat legacy claims and never expire", "[tokens]") {
  Claims c;
  c.legacy = true;
  c.namespace_ = "default";
  c.service_account = {"robot", "sa-uid"};
  c.secret = BoundObject{"robot-token", ""};
  auto token = issuer().issue(c);
  auto payload = part(token, 1);
  CHECK(payload["iss"] == "kubernetes/serviceaccount");
  CHECK(payload["kubernetes.io/serviceaccount/namespace"] == "default");
  CHECK(payload["kubernetes.io/serviceaccount/secret.name"] == "robot-token");
  CHECK(payload["kubernetes.io/serviceaccount/service-account.name"] == "robot");
  CHECK(payload["kubernetes.io/serviceaccount/service-account.uid"] == "sa-uid");
  CHECK_FALSE(payload.contains("exp"));
  auto v = issuer().verify(token, kNow * 10);
  REQUIRE(v);
  CHECK(v->legacy);
  CHECK(v->service_account.uid == "sa-uid");
}

TEST_CASE("validate checks audience and that the account and bound objects still exist",
          "[tokens]") {
  FakeLookup cluster;
  cluster.objects["serviceaccounts/default/robot"] = {"sa-uid", "", false};
  cluster.objects["pods/default/web"] = {"pod-uid", "", false};
  auto c = bound_claims();
  c.pod = BoundObject{"web", "pod-uid"};
  auto token = issuer().issue(c);
  auto check = [&](std::string_view t) { return validate(issuer(), t, kNow, {}, cluster); };

  auto user = check(token);
  REQUIRE(user);
  CHECK(user->name == "system:serviceaccount:default:robot");
  CHECK(user->groups ==
        std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:default"});

  SECTION("another audience") {
    auto r = validate(issuer(), token, kNow, {"vault"}, cluster);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "the token's audience is not this API server");
  }
  SECTION("the pod was replaced by one of the same name") {
    cluster.objects["pods/default/web"].uid = "other";
    CHECK(check(token).error().message == "pod UID (other) does not match claim (pod-uid)");
  }
  SECTION("the pod is gone") {
    cluster.objects.erase("pods/default/web");
    CHECK(check(token).error().message == "pod default/web has been deleted");
  }
  SECTION("the service account was recreated") {
    cluster.objects["serviceaccounts/default/robot"].uid = "new";
    CHECK(check(token).error().message ==
          "service account UID (new) does not match claim (sa-uid)");
  }
  SECTION("the service account is gone") {
    cluster.objects.erase("serviceaccounts/default/robot");
    CHECK(check(token).error().message == "service account default/robot has been deleted");
  }
  SECTION("a legacy token is valid while its Secret holds it") {
    Claims l;
    l.legacy = true;
    l.namespace_ = "default";
    l.service_account = {"robot", "sa-uid"};
    l.secret = BoundObject{"robot-token", ""};
    auto legacy = issuer().issue(l);
    std::string b64 = base64url_encode(legacy);
    std::ranges::replace(b64, '-', '+');
    std::ranges::replace(b64, '_', '/');
    while (b64.size() % 4) b64.push_back('=');
    cluster.objects["secrets/default/robot-token"] = {"secret-uid", b64, false};
    CHECK(check(legacy));
    cluster.objects["secrets/default/robot-token"].token_data = "b3RoZXI=";
    CHECK(check(legacy).error().message ==
          "the token does not match the one in secret default/robot-token");
  }
}

TEST_CASE("the signing key is created once in its file and reused", "[tokens]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("kactor-tokens-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto file = dir / "pki" / "sa.key";
  auto first = SigningKey::load_or_create(file);
  REQUIRE(first);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto again = SigningKey::load_or_create(file);
  REQUIRE(again);
  CHECK(again->key_id() == first->key_id());
  // A token of the first load verifies with the second: restarts keep tokens valid.
  auto token = TokenIssuer(*first).issue(bound_claims());
  CHECK(TokenIssuer(*again).verify(token, kNow));

  std::filesystem::resize_file(file, 20);
  auto broken = SigningKey::load_or_create(file);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.find(file.string()) != std::string::npos);
  std::filesystem::remove_all(dir);
}
