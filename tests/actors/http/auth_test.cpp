#include "actors/http/auth.hpp"

#include <catch2/catch.hpp>

#include "tests/actors/http/pki_fixture.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::TempDir;
using kactor::http::testing::test_now;

namespace {

ClusterPki make_pki(const TempDir& dir) {
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  REQUIRE(pki);
  return *pki;
}

const UserInfo kAdmin{"kactor-admin", {"system:masters", "system:authenticated"}};

}  // namespace

TEST_CASE("auth: the admin token is kactor-admin in system:masters") {
  TempDir dir;
  auto pki = make_pki(dir);
  Authenticator auth(pki);
  CHECK(auth.from_bearer("Bearer " + pki.admin_token) == kAdmin);
  // The scheme in any case, surrounding blanks, and text after the token as upstream ignores it.
  CHECK(auth.from_bearer("bearer " + pki.admin_token) == kAdmin);
  CHECK(auth.from_bearer("  BEARER " + pki.admin_token + "  ") == kAdmin);
  CHECK(auth.from_bearer("Bearer " + pki.admin_token + " trailing") == kAdmin);
}

TEST_CASE("auth: a wrong, empty or non-Bearer credential is nobody") {
  TempDir dir;
  auto pki = make_pki(dir);
  Authenticator auth(pki);
  auto token = pki.admin_token;
  auto other = token;
  other.back() = other.back() == '0' ? '1' : '0';
  for (std::string header :
       {std::string(), std::string("Bearer"), std::string("Bearer "),
        std::string("Bearer  ") + token, "Bearer " + other, "Bearer " + token.substr(0, 63),
        "Bearer " + token + "0", "Basic " + token, "Token " + token, token, "Bearer\t" + token}) {
    INFO(header);
    CHECK_FALSE(auth.from_bearer(header));
  }
}

TEST_CASE("auth: other tokens go to the token validator, the admin token never does") {
  TempDir dir;
  auto pki = make_pki(dir);
  std::vector<std::string> asked;
  Authenticator auth(pki, [&](std::string_view token) -> std::optional<UserInfo> {
    asked.emplace_back(token);
    if (token != "sa-token") return std::nullopt;
    return UserInfo{"system:serviceaccount:default:builder", {"system:serviceaccounts"}};
  });
  CHECK(auth.from_bearer("Bearer " + pki.admin_token) == kAdmin);
  CHECK(asked.empty());
  CHECK(auth.from_bearer("Bearer sa-token") ==
        UserInfo{"system:serviceaccount:default:builder",
                 {"system:serviceaccounts", "system:authenticated"}});
  CHECK_FALSE(auth.from_bearer("Bearer unknown"));
  CHECK(asked == std::vector<std::string>{"sa-token", "unknown"});
}

TEST_CASE("auth: no TLS connection or no peer certificate is nobody") {
  TempDir dir;
  auto pki = make_pki(dir);
  Authenticator auth(pki);
  CHECK_FALSE(auth.from_peer_certificate(nullptr));
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  SslPtr ssl(SSL_new(ctx.get()));
  REQUIRE(ssl);
  CHECK_FALSE(auth.from_peer_certificate(ssl.get()));
}
