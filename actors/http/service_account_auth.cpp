#include "actors/http/service_account_auth.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <unordered_map>

#include "actors/tokens/validate.hpp"
#include "api/types/all.hpp"

namespace kactor::http {
namespace {

/// Looks objects up through the backend, waiting for each answer.
class BackendLookup final : public tokens::ObjectLookup {
 public:
  BackendLookup(ApiBackend& backend, std::chrono::seconds timeout)
      : backend_(backend), timeout_(timeout) {}

  std::optional<tokens::LookedUp> find(std::string_view resource, std::string_view namespace_,
                                       std::string_view name) const override {
    apiserver::Request req;
    req.verb = apiserver::Verb::get;
    req.resource = std::string(resource);
    req.namespace_ = std::string(namespace_);
    req.name = std::string(name);
    auto answer = std::make_shared<std::promise<apiserver::Response>>();
    auto future = answer->get_future();
    backend_.call(std::move(req), [answer](apiserver::Response r) { answer->set_value(std::move(r)); });
    if (future.wait_for(timeout_) != std::future_status::ready) return std::nullopt;
    auto r = future.get();
    if (r.error || !r.object) return std::nullopt;
    tokens::LookedUp out;
    out.uid = r.object->metadata.uid;
    out.deleting = r.object->metadata.deletion_timestamp.has_value();
    if (const auto* secret = api::as<api::Secret>(*r.object)) {
      auto it = secret->data.find("token");
      if (it != secret->data.end()) out.token_data = it->second;
    }
    return out;
  }

 private:
  ApiBackend& backend_;
  std::chrono::seconds timeout_;
};

using Digest = std::string;  // SHA-256 of a token: the cache never holds tokens themselves

struct CachedUser {
  UserInfo user;
  std::chrono::steady_clock::time_point until;
  int64_t expires = 0;  ///< the token's exp (0: none)
};

class Validator {
 public:
  Validator(std::shared_ptr<const tokens::TokenIssuer> issuer, std::shared_ptr<ApiBackend> backend,
            const Clock& clock, ServiceAccountAuthOptions options)
      : issuer_(std::move(issuer)),
        backend_(std::move(backend)),
        clock_(clock),
        options_(std::move(options)) {}

  std::optional<UserInfo> operator()(std::string_view token) {
    // Not a JWT: cheaper to say no here than in the parser.
    if (std::count(token.begin(), token.end(), '.') != 2) return std::nullopt;
    const auto now_unix = std::chrono::duration_cast<std::chrono::seconds>(
                              clock_.now().time_since_epoch())
                              .count();
    const auto key = digest(token);
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mutex_);
      auto it = cache_.find(key);
      if (it != cache_.end() && it->second.until > now &&
          (it->second.expires == 0 || now_unix < it->second.expires))
        return it->second.user;
    }
    BackendLookup lookup(*backend_, options_.lookup_timeout);
    auto user = tokens::validate(*issuer_, token, now_unix, options_.api_audiences, lookup);
    if (!user) return std::nullopt;
    UserInfo out{user->name, user->groups};
    std::lock_guard lock(mutex_);
    // Bounded: a flood of distinct valid tokens only costs lookups, never memory.
    if (cache_.size() >= 10000) cache_.clear();
    cache_[key] = CachedUser{out, now + options_.cache_ttl, user->claims.expires};
    return out;
  }

 private:
  static Digest digest(std::string_view token) {
    Digest d(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
           reinterpret_cast<unsigned char*>(d.data()));
    return d;
  }

  std::shared_ptr<const tokens::TokenIssuer> issuer_;
  std::shared_ptr<ApiBackend> backend_;
  const Clock& clock_;
  ServiceAccountAuthOptions options_;
  std::mutex mutex_;
  std::unordered_map<Digest, CachedUser> cache_;
};

}  // namespace

TokenValidator service_account_token_validator(std::shared_ptr<const tokens::TokenIssuer> issuer,
                                               std::shared_ptr<ApiBackend> backend,
                                               const Clock& clock,
                                               ServiceAccountAuthOptions options) {
  auto v = std::make_shared<Validator>(std::move(issuer), std::move(backend), clock,
                                       std::move(options));
  return [v](std::string_view token) { return (*v)(token); };
}

}  // namespace kactor::http
