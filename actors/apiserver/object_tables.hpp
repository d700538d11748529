// The API server's in-memory view of every object: one ordered table per kind,
// holding the latest state (including writes not yet flushed to disk).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "actors/apiserver/admission/admission.hpp"
#include "api/object.hpp"
#include "api/time/clock.hpp"

namespace kactor::store {
class Store;
}

namespace kactor::apiserver {

/// One stored object at its revision. Most kinds are kept decoded: the requests and watch
/// events that carry the object share that one copy. The kinds keeps_encoded() names are not
/// held decoded: a decoded Event takes ~1.2 KB, there are four per pod, kept for the event
/// TTL, and hardly anything reads them. Until its write is durable such an object is kept as
/// the store's msgpack bytes (shared with the watch event that carried them); once it is
/// durable (ObjectTables::committed) the tables drop those bytes too and read it from the
/// store, which holds it anyway: at 150,000 pods the kept bytes were ~300 MB. Each read
/// decodes afresh.
class StoredObject {
 public:
  StoredObject() = default;
  /// `object` of kind `type` at `revision`; `bytes` is its msgpack encoding, kept instead of
  /// the object if keeps_encoded(type) (and may be null otherwise).
  StoredObject(const api::TypeInfo& type, api::ObjectPtr object,
               std::shared_ptr<const std::string> bytes, int64_t revision);

  /// The object: the kept one, or a fresh decoding of the kept bytes or of the store's record
  /// (hold it while using it: nothing else may). Never null for an object the tables hold.
  api::ObjectPtr object() const;
  int64_t revision() const { return revision_; }
  /// For Events: when the Event was last active (event_last_activity()), so that the TTL
  /// sweep decodes none. The epoch for other kinds.
  TimePoint last_activity() const { return last_activity_; }
  /// Whether object() reads the store (the object is durable and kept by nothing else).
  bool in_store() const { return std::holds_alternative<InStore>(kept_); }

 private:
  friend class ObjectTables;
  /// Where a durable object of a keeps_encoded() kind is read from.
  struct InStore {
    const store::Store* store = nullptr;
    const std::string* key = nullptr;  // the table's key of this entry (a map node's: stable)
  };
  /// The object decoded, its bytes, or where the store keeps it.
  std::variant<api::ObjectPtr, std::shared_ptr<const std::string>, InStore> kept_;
  const api::TypeInfo* type_ = nullptr;  // decodes what is not kept decoded
  int64_t revision_ = 0;
  TimePoint last_activity_{};
};

/// Whether the tables keep objects of `type` as their bytes (see StoredObject): the kinds
/// written often, kept long and read by no in-process component. Today only core/v1 Events.
bool keeps_encoded(const api::TypeInfo& type);

/// "namespace/name" (or "name" for cluster-scoped kinds): sorts by namespace, then name.
std::string table_key(std::string_view namespace_, std::string_view name);
/// The store key of an object: "<resource>[.<group>]/<table key>".
std::string store_key(const api::TypeInfo& type, std::string_view table_key);
/// The kind and table key a store key names; type null if the resource is unknown.
std::pair<const api::TypeInfo*, std::string> parse_store_key(std::string_view key);

class ObjectTables final : public ClusterView {
 public:
  using Table = std::map<std::string, StoredObject, std::less<>>;

  /// With a `store`, objects of the keeps_encoded() kinds are read from it once committed()
  /// says they are durable there; without one, they stay kept as their bytes.
  explicit ObjectTables(const store::Store* store = nullptr);
  // Entries read from the store point at their own keys in these maps.
  ObjectTables(const ObjectTables&) = delete;
  ObjectTables& operator=(const ObjectTables&) = delete;

  Table& table(const api::TypeInfo& type) { return tables_.at(&type); }
  const Table& table(const api::TypeInfo& type) const { return tables_.at(&type); }
  const StoredObject* get(const api::TypeInfo& type, std::string_view key) const;
  /// Files `object` (whose msgpack encoding is `bytes`) under `key` at `revision`, kept as
  /// keeps_encoded() says. `replacing` is what get() returned for `key`, if anything: it is
  /// overwritten without looking the key up again.
  void put(const api::TypeInfo& type, const std::string& key, api::ObjectPtr object,
           std::shared_ptr<const std::string> bytes, int64_t revision,
           const StoredObject* replacing = nullptr);
  /// The write of `key` at `revision` is durable in the store: if the table still holds that
  /// revision of a keeps_encoded() kind, it drops the bytes and reads the store from now on.
  void committed(const api::TypeInfo& type, std::string_view key, int64_t revision);

  // -- ClusterView --
  api::ObjectPtr find(const api::TypeInfo& type, std::string_view namespace_,
                      std::string_view name) const override;
  std::vector<api::ObjectPtr> list(const api::TypeInfo& type,
                                   std::string_view namespace_) const override;

 private:
  const store::Store* store_;
  std::unordered_map<const api::TypeInfo*, Table> tables_;
};

}  // namespace kactor::apiserver
