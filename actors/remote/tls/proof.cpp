#include "actors/remote/tls/proof.hpp"

#include <mutex>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509_vfy.h>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "actors/http/x509_inspect.hpp"

namespace kactor::remote::tls {
namespace {

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string to_hex(const unsigned char* data, size_t size) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out(2 * size, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return out;
}

std::optional<std::vector<unsigned char>> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::vector<unsigned char> out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = digit(text[2 * i]), lo = digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

/// Why `cert` does not chain to `ca` as a client certificate at `now`, or "" when it does.
std::string chain_error(X509* cert, const X509* ca, TimePoint now) {
  http::X509StorePtr store(X509_STORE_new());
  http::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), const_cast<X509*>(ca)) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1) {
    return http::openssl_error("verify");
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(now));
  if (X509_verify_cert(ctx.get()) == 1) return "";
  auto error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  ERR_clear_error();
  return std::string("certificate verification failed: ") + error;
}

}  // namespace

api::Status unauthorized(const std::string& message) {
  api::Status s;
  s.code = 401;
  s.reason = "Unauthorized";
  s.message = message;
  return s;
}

api::Result<std::string> make_proof(const std::vector<Identity>& identities,
                                    const std::string& challenge) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& id : identities) {
    MdCtxPtr md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t size = 0;
    if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, id.key.get()) != 1 ||
        EVP_DigestSign(md.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char*>(challenge.data()),
                       challenge.size()) != 1)
      return api::fail(api::internal_error(http::openssl_error("identity proof: sign")));
    std::vector<unsigned char> signature(size);
    if (EVP_DigestSign(md.get(), signature.data(), &size,
                       reinterpret_cast<const unsigned char*>(challenge.data()),
                       challenge.size()) != 1)
      return api::fail(api::internal_error(http::openssl_error("identity proof: sign")));
    list.push_back({{"certificate", id.cert_pem}, {"signature", to_hex(signature.data(), size)}});
  }
  return nlohmann::json{{"identities", std::move(list)}}.dump();
}

api::Result<std::vector<http::UserInfo>> verify_proof(const std::string& proof,
                                                      const std::string& challenge,
                                                      const X509* ca, TimePoint now) {
  auto doc = nlohmann::json::parse(proof, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("identities") || !doc["identities"].is_array() ||
      doc["identities"].empty())
    return api::fail(unauthorized("identity proof: identities: Required value: at least one "
                                  "certificate and signature"));
  std::vector<http::UserInfo> users;
  const auto& list = doc["identities"];
  for (size_t i = 0; i < list.size(); ++i) {
    auto refuse = [&](const std::string& why) {
      return api::fail(unauthorized(fmt::format("identity proof: identities[{}]: {}", i, why)));
    };
    const auto& entry = list[i];
    if (!entry.is_object() || !entry.contains("certificate") ||
        !entry["certificate"].is_string() || !entry.contains("signature") ||
        !entry["signature"].is_string())
      return refuse("certificate and signature (strings) are required");
    auto cert = http::parse_certificate_pem(entry["certificate"].get<std::string>());
    if (!cert) {
      ERR_clear_error();
      return refuse("certificate: not a PEM certificate");
    }
    if (auto why = chain_error(cert.get(), ca, now); !why.empty()) return refuse(why);
    auto signature = from_hex(entry["signature"].get<std::string>());
    if (!signature) return refuse("signature: not hex");
    EVP_PKEY* key = X509_get0_pubkey(cert.get());
    MdCtxPtr md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!key || !md ||
        EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestVerify(md.get(), signature->data(), signature->size(),
                         reinterpret_cast<const unsigned char*>(challenge.data()),
                         challenge.size()) != 1) {
      ERR_clear_error();
      return refuse("signature: does not verify with the certificate's key (not made for this "
                    "connection's challenge, or by another key)");
    }
    auto name = http::subject_common_name(cert.get());
    if (!name) return refuse("certificate: the subject has no single common name");
    users.push_back(http::UserInfo{*name, http::subject_organizations(cert.get())});
  }
  return users;
}

std::function<api::Result<std::string>(const std::string& challenge)> prover(
    std::vector<Identity> identities) {
  // Shared: the function is copied into every connection's options.
  auto held = std::make_shared<const std::vector<Identity>>(std::move(identities));
  return [held](const std::string& challenge) { return make_proof(*held, challenge); };
}

std::function<api::Result<std::string>(const std::string& challenge)> reloading_prover(
    std::vector<Identity> identities, std::function<api::Result<std::vector<Identity>>()> load,
    std::function<void(const api::Status&)> on_error) {
  struct Held {
    std::mutex mutex;  // the function is copied into every connection's options
    std::vector<Identity> identities;
  };
  auto held = std::make_shared<Held>();
  held->identities = std::move(identities);
  return [held, load = std::move(load),
          on_error = std::move(on_error)](const std::string& challenge) {
    std::lock_guard lock(held->mutex);  // one load at a time: the last one read wins
    auto fresh = load();
    if (fresh)
      held->identities = std::move(*fresh);
    else if (on_error)
      on_error(fresh.error());
    return make_proof(held->identities, challenge);
  };
}

}  // namespace kactor::remote::tls
