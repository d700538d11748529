// An informer's local cache: the objects it has seen, with indexes. Written by
// one informer actor, read by any actor in the process (shared lock).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/object.hpp"

namespace kactor::client {

/// Maps an object to the index values it is filed under (e.g. its node name).
using IndexFunc = std::function<std::vector<std::string>(const api::Object&)>;

class Cache {
 public:
  Cache();

  /// Adds an index (built at once over the current content). Names are unique: adding a
  /// name that exists keeps the index there (components sharing an informer each ask for
  /// the index they need; the well-known ones are in indexes.hpp).
  void add_index(const std::string& name, IndexFunc fn);

  api::ObjectPtr get(const std::string& key) const;
  std::vector<api::ObjectPtr> list() const;
  /// Objects filed under `value` in index `name` (e.g. "namespace", "default").
  std::vector<api::ObjectPtr> by_index(const std::string& name, const std::string& value) const;
  size_t size() const;
  /// The revision the cache reflects (the last list or event).
  std::string resource_version() const;
  /// True once the first list has been loaded.
  bool synced() const;

  // -- writer side (the informer) --
  /// Stores `obj` (added or updated); returns the previous object, if any.
  api::ObjectPtr upsert(const api::ObjectPtr& obj);
  /// Removes the object with `key`; returns it, if it was there.
  api::ObjectPtr erase(const std::string& key);
  void set_resource_version(std::string rv);
  void set_synced();

 private:
  using Objects = std::map<std::string, api::ObjectPtr, std::less<>>;
  /// An object's entry in objects_: its address is stable until it is erased, and it always
  /// holds the newest version.
  using Entry = const Objects::value_type*;
  struct ByKey {
    bool operator()(Entry a, Entry b) const { return a->first < b->first; }
  };
  struct Index {
    IndexFunc fn;
    /// value -> the entries filed under it, in key order. An entry points into objects_, so
    /// an update that keeps an object where it was filed touches no index (most updates: a
    /// status, a heartbeat), and an entry costs a pointer, not a copy of the key.
    std::unordered_map<std::string, std::set<Entry, ByKey>> by_value;
  };
  void index_add(Entry entry);
  void index_remove(Entry entry);
  /// `entry` held `old` and now holds its next version.
  void index_update(Entry entry, const api::Object& old);
  static void remove_from(Index& idx, Entry entry, const std::vector<std::string>& values);

  mutable std::shared_mutex mutex_;
  Objects objects_;
  std::map<std::string, Index> indexes_;
  std::string resource_version_;
  bool synced_ = false;
};

/// The built-in index every cache has: by metadata.namespace.
inline constexpr const char* kNamespaceIndex = "namespace";

}  // namespace kactor::client
