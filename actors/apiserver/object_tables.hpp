// The API server's in-memory view of every object: one ordered table per kind,
// holding the latest state (including writes not yet flushed to disk).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actors/apiserver/admission/admission.hpp"
#include "api/object.hpp"

namespace kactor::apiserver {

/// One stored object: the shared decoded snapshot and its store encoding.
struct StoredObject {
  api::ObjectPtr object;
  int64_t revision = 0;
};

/// "namespace/name" (or "name" for cluster-scoped kinds): sorts by namespace, then name.
std::string table_key(std::string_view namespace_, std::string_view name);
/// The store key of an object: "<resource>[.<group>]/<table key>".
std::string store_key(const api::TypeInfo& type, std::string_view table_key);
/// The kind and table key a store key names; type null if the resource is unknown.
std::pair<const api::TypeInfo*, std::string> parse_store_key(std::string_view key);

class ObjectTables final : public ClusterView {
 public:
  using Table = std::map<std::string, StoredObject, std::less<>>;

  ObjectTables();

  Table& table(const api::TypeInfo& type) { return tables_.at(&type); }
  const Table& table(const api::TypeInfo& type) const { return tables_.at(&type); }
  const StoredObject* get(const api::TypeInfo& type, std::string_view key) const;

  // -- ClusterView --
  api::ObjectPtr find(const api::TypeInfo& type, std::string_view namespace_,
                      std::string_view name) const override;
  std::vector<api::ObjectPtr> list(const api::TypeInfo& type,
                                   std::string_view namespace_) const override;

 private:
  std::unordered_map<const api::TypeInfo*, Table> tables_;
};

}  // namespace kactor::apiserver
