#include "actors/http/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <memory>

#include "actors/http/x509_inspect.hpp"

namespace kactor::http {
namespace {

/// SHA-256 through a digest fetched once and a context kept per thread: OpenSSL 3's one-shot
/// SHA256() looks the algorithm up in the provider store on every call, ~4× the hash itself,
/// and every bearer-token request hashes its token.
std::array<unsigned char, 32> sha256(std::string_view text) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                                 &EVP_MD_CTX_free);
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (!md || !ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), text.data(), text.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &size) != 1) {
    ERR_clear_error();
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  }
  return digest;
}

std::string_view trim_spaces(std::string_view text) {
  constexpr std::string_view kSpace = " \t";
  auto begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(
      a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

UserInfo authenticated(UserInfo user) {
  if (std::ranges::find(user.groups, kAuthenticatedGroup) == user.groups.end()) {
    user.groups.emplace_back(kAuthenticatedGroup);
  }
  return user;
}

}  // namespace

Authenticator::Authenticator(const ClusterPki& pki, TokenValidator tokens)
    : admin_token_digest_(sha256(pki.admin_token)),
      ca_(parse_certificate_pem(pki.ca_cert_pem)),
      tokens_(std::move(tokens)) {
  // A PKI without a CA (only possible if built by hand) makes every certificate unknown.
  ERR_clear_error();
}

std::optional<UserInfo> Authenticator::from_bearer(std::string_view authorization_header) const {
  auto header = trim_spaces(authorization_header);
  auto space = header.find(' ');
  if (space == std::string_view::npos || !equals_ignoring_case(header.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  auto token = header.substr(space + 1);
  token = token.substr(0, token.find(' '));
  if (token.empty()) return std::nullopt;
  // Never let a short-circuit tell the caller anything: the digest comparison always runs.
  if (CRYPTO_memcmp(sha256(token).data(), admin_token_digest_.data(), 32) == 0) {
    return authenticated({std::string(kAdminUser), {std::string(kAdminGroup)}});
  }
  if (tokens_) {
    if (auto user = tokens_(token)) return authenticated(std::move(*user));
  }
  return std::nullopt;
}

std::optional<UserInfo> Authenticator::from_peer_certificate(const SSL* ssl) const {
  if (ssl == nullptr || !ca_) return std::nullopt;
  const X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  if (!is_signed_by(cert, ca_.get())) return std::nullopt;
  auto name = subject_common_name(cert);
  if (!name) return std::nullopt;
  return authenticated({std::move(*name), subject_organizations(cert)});
}

}  // namespace kactor::http
