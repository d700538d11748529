#include "api/types/volume.hpp"
#include "api/types/interned_json.hpp"

#include <array>
#include <type_traits>
#include <vector>

namespace kactor::api {
namespace {

/// The projected source upstream's ServiceAccount admission mounts as kube-api-access-<random>
/// (token, the cluster CA from kube-root-ca.crt, the namespace from the downward API; the
/// fieldRef's apiVersion v1), as the compact, key-sorted JSON a RawJson holds. The token's
/// 3607 s is upstream's: one hour plus a few seconds, which tells the token issuer that this is
/// a kubelet-refreshed token whose lifetime it may extend (see warnafter).
constexpr std::string_view kKubeApiAccessProjection =
    R"({"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,)"
    R"("path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],)"
    R"("name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1",)"
    R"("fieldPath":"metadata.namespace"},"path":"namespace"}]}}]})";

/// RawJson texts that (nearly) every object carries, shared by all RawJsons that hold them.
/// RawJson lives with the volume sources because they are its only users. A text's index
/// here is its number in the msgpack encoding (interned_json.hpp): append only.
const std::array<std::shared_ptr<const std::string>, 1>& interned_texts() {
  static const std::array<std::shared_ptr<const std::string>, 1> texts{
      std::make_shared<const std::string>(kKubeApiAccessProjection)};
  return texts;
}

const std::shared_ptr<const std::string>* find_interned(std::string_view text) {
  for (const auto& t : interned_texts())
    if (*t == text) return &t;
  return nullptr;
}

/// Collects the names of the set source fields while visiting a Volume's description.
struct SetSources {
  std::vector<std::string_view> names;
  template <class T>
  void operator()(const char* name, T& field, uint32_t = omit_empty) {
    if constexpr (std::is_same_v<T, RawJson>) {
      if (!field.empty()) names.push_back(name);
    } else if constexpr (requires { field.has_value(); }) {
      if (field.has_value()) names.push_back(name);
    }
  }
};

}  // namespace

RawJson::RawJson(std::string_view text) {
  if (text.empty()) return;
  const auto* shared = find_interned(text);
  text_ = shared ? *shared : std::make_shared<const std::string>(text);
}

const std::string& RawJson::text() const {
  static const std::string none;
  return text_ ? *text_ : none;
}

bool RawJson::interned(std::string_view text) { return find_interned(text) != nullptr; }

RawJson kube_api_access_projection() { return RawJson(kKubeApiAccessProjection); }

std::optional<uint8_t> interned_json_number(const RawJson& v) {
  if (v.empty()) return std::nullopt;
  // An interned RawJson holds the interned string itself (the constructor made sure), so
  // its address tells, with no comparison of the text.
  const auto& texts = interned_texts();
  for (size_t i = 0; i < texts.size(); ++i)
    if (&v.text() == texts[i].get()) return static_cast<uint8_t>(i);
  return std::nullopt;
}

std::optional<RawJson> interned_json(uint8_t number) {
  // Built once: a copy costs a reference count, not a look-up of the text.
  static const std::vector<RawJson> interned = [] {
    std::vector<RawJson> out;
    for (const auto& t : interned_texts()) out.emplace_back(*t);
    return out;
  }();
  if (number >= interned.size()) return std::nullopt;
  return interned[number];
}

std::vector<std::string_view> volume_sources(const Volume& v) {
  SetSources visitor;
  describe(visitor, const_cast<Volume&>(v));  // the visitor only reads
  return std::move(visitor.names);
}

}  // namespace kactor::api
