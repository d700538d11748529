#include "actors/client/cache.hpp"

#include <mutex>

namespace kactor::client {

Cache::Cache() {
  indexes_[kNamespaceIndex].fn = [](const api::Object& o) {
    return std::vector<std::string>{o.metadata.namespace_};
  };
}

void Cache::add_index(const std::string& name, IndexFunc fn) {
  std::unique_lock lock(mutex_);
  if (indexes_.contains(name)) return;
  auto& idx = indexes_[name];
  idx.fn = std::move(fn);
  for (const auto& [key, obj] : objects_)
    for (auto& v : idx.fn(*obj)) idx.by_value[v].emplace(key, obj);
}

api::ObjectPtr Cache::get(const std::string& key) const {
  std::shared_lock lock(mutex_);
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second;
}

std::vector<api::ObjectPtr> Cache::list() const {
  std::shared_lock lock(mutex_);
  std::vector<api::ObjectPtr> out;
  out.reserve(objects_.size());
  for (const auto& [k, v] : objects_) out.push_back(v);
  return out;
}

std::vector<api::ObjectPtr> Cache::by_index(const std::string& name,
                                            const std::string& value) const {
  std::shared_lock lock(mutex_);
  std::vector<api::ObjectPtr> out;
  auto idx = indexes_.find(name);
  if (idx == indexes_.end()) return out;
  auto filed = idx->second.by_value.find(value);
  if (filed == idx->second.by_value.end()) return out;
  out.reserve(filed->second.size());
  for (const auto& [key, obj] : filed->second) out.push_back(obj);
  return out;
}

size_t Cache::size() const {
  std::shared_lock lock(mutex_);
  return objects_.size();
}

std::string Cache::resource_version() const {
  std::shared_lock lock(mutex_);
  return resource_version_;
}

bool Cache::synced() const {
  std::shared_lock lock(mutex_);
  return synced_;
}

api::ObjectPtr Cache::upsert(const api::ObjectPtr& obj) {
  std::unique_lock lock(mutex_);
  auto key = api::object_key(*obj);
  api::ObjectPtr old;
  auto it = objects_.find(key);
  if (it != objects_.end()) {
    old = it->second;
    index_update(key, *old, obj);
    it->second = obj;
  } else {
    objects_.emplace(key, obj);
    index_add(key, obj);
  }
  return old;
}

api::ObjectPtr Cache::erase(const std::string& key) {
  std::unique_lock lock(mutex_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return nullptr;
  auto old = it->second;
  index_remove(key, *old);
  objects_.erase(it);
  return old;
}

void Cache::set_resource_version(std::string rv) {
  std::unique_lock lock(mutex_);
  resource_version_ = std::move(rv);
}

void Cache::set_synced() {
  std::unique_lock lock(mutex_);
  synced_ = true;
}

void Cache::index_add(const std::string& key, const api::ObjectPtr& obj) {
  for (auto& [name, idx] : indexes_)
    for (auto& v : idx.fn(*obj)) idx.by_value[v].insert_or_assign(key, obj);
}

void Cache::index_update(const std::string& key, const api::Object& old, const api::ObjectPtr& obj) {
  for (auto& [name, idx] : indexes_) {
    auto before = idx.fn(old);
    auto after = idx.fn(*obj);
    if (before != after) {
      remove_from(idx, key, before);
      for (auto& v : after) idx.by_value[v].insert_or_assign(key, obj);
      continue;
    }
    // Most updates (a status, a heartbeat) keep the object where it was filed: point the
    // entries at the new version in place. Erasing and inserting again cost two searches of
    // maps that hold a whole namespace (30,000 keys sharing a long prefix) per update.
    for (auto& v : after) {
      auto& entries = idx.by_value[v];
      if (auto e = entries.find(key); e != entries.end())
        e->second = obj;
      else
        entries.emplace(key, obj);
    }
  }
}

void Cache::remove_from(Index& idx, const std::string& key, const std::vector<std::string>& values) {
  for (auto& v : values) {
    auto it = idx.by_value.find(v);
    if (it == idx.by_value.end()) continue;
    it->second.erase(key);
    if (it->second.empty()) idx.by_value.erase(it);
  }
}

void Cache::index_remove(const std::string& key, const api::Object& obj) {
  for (auto& [name, idx] : indexes_) remove_from(idx, key, idx.fn(obj));
}

}  // namespace kactor::client
