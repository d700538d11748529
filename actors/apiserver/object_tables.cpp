#include "actors/apiserver/object_tables.hpp"

#include <stdexcept>

#include "actors/apiserver/event_ttl.hpp"
#include "api/registry.hpp"
#include "api/types/event.hpp"
#include "store/store.hpp"

namespace kactor::apiserver {

StoredObject::StoredObject(const api::TypeInfo& type, api::ObjectPtr object,
                           std::shared_ptr<const std::string> bytes, int64_t revision)
    : type_(&type), revision_(revision) {
  if (&type == &api::Event::static_type())
    last_activity_ = event_last_activity(static_cast<const api::Event&>(*object));
  if (keeps_encoded(type) && bytes)
    kept_ = std::move(bytes);
  else
    kept_ = std::move(object);
}

api::ObjectPtr StoredObject::object() const {
  if (const auto* decoded = std::get_if<api::ObjectPtr>(&kept_)) return *decoded;
  std::optional<store::Record> record;
  const std::string* bytes = nullptr;
  if (const auto* encoded = std::get_if<std::shared_ptr<const std::string>>(&kept_)) {
    bytes = encoded->get();
  } else {
    const auto& where = std::get<InStore>(kept_);
    const std::string key = store_key(*type_, *where.key);
    auto read = where.store->get(key);
    // committed() moved it here only once durable, and a later write or delete replaces
    // or erases this entry: the store has this very revision.
    if (!read)
      throw std::runtime_error("reading " + key + " from the store: " + read.error().message);
    if (!*read || (*read)->mod_revision != revision_)
      throw std::logic_error("the store lacks " + key + " at revision " +
                             std::to_string(revision_));
    record = std::move(**read);
    bytes = &record->value;
  }
  auto obj = type_->from_msgpack(*bytes);
  // The bytes are what this build wrote (or loaded and decoded once already), so they decode.
  if (!obj) throw std::logic_error("decoding a kept " + type_->kind + ": " + obj.error().message);
  (*obj)->metadata.resource_version = std::to_string(revision_);
  return api::ObjectPtr(std::move(*obj));
}

bool keeps_encoded(const api::TypeInfo& type) {
  return &type == &api::Event::static_type();
}

std::string table_key(std::string_view namespace_, std::string_view name) {
  if (namespace_.empty()) return std::string(name);
  std::string k;
  k.reserve(namespace_.size() + 1 + name.size());
  k.append(namespace_).append("/").append(name);
  return k;
}

std::string store_key(const api::TypeInfo& type, std::string_view table_key) {
  std::string k = type.resource;
  if (!type.group.empty()) k.append(".").append(type.group);
  k.append("/").append(table_key);
  return k;
}

std::pair<const api::TypeInfo*, std::string> parse_store_key(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos) return {nullptr, {}};
  std::string_view qualified = key.substr(0, slash);
  auto dot = qualified.find('.');
  std::string_view resource = qualified.substr(0, dot);
  std::string_view group = dot == std::string_view::npos ? "" : qualified.substr(dot + 1);
  return {api::Registry::builtin().by_resource(group, resource), std::string(key.substr(slash + 1))};
}

ObjectTables::ObjectTables(const store::Store* store) : store_(store) {
  for (const auto* t : api::Registry::builtin().all()) tables_[t];
}

const StoredObject* ObjectTables::get(const api::TypeInfo& type, std::string_view key) const {
  const auto& t = table(type);
  auto it = t.find(key);
  return it == t.end() ? nullptr : &it->second;
}

void ObjectTables::put(const api::TypeInfo& type, const std::string& key, api::ObjectPtr object,
                       std::shared_ptr<const std::string> bytes, int64_t revision,
                       const StoredObject* replacing) {
  StoredObject next(type, std::move(object), std::move(bytes), revision);
  // An entry of these tables, handed out read-only: writing it through the tables is fine.
  if (replacing)
    const_cast<StoredObject&>(*replacing) = std::move(next);
  else
    table(type)[key] = std::move(next);
}

void ObjectTables::committed(const api::TypeInfo& type, std::string_view key, int64_t revision) {
  if (!store_ || !keeps_encoded(type)) return;
  auto& t = table(type);
  auto it = t.find(key);
  // A later write may have replaced the entry (it is dropped once that one is durable), or
  // a delete erased it.
  if (it == t.end() || it->second.revision_ != revision) return;
  it->second.kept_ = StoredObject::InStore{store_, &it->first};
}

api::ObjectPtr ObjectTables::find(const api::TypeInfo& type, std::string_view namespace_,
                                  std::string_view name) const {
  const auto* s = get(type, table_key(type.namespaced ? namespace_ : "", name));
  return s ? s->object() : nullptr;
}

std::vector<api::ObjectPtr> ObjectTables::list(const api::TypeInfo& type,
                                               std::string_view namespace_) const {
  std::vector<api::ObjectPtr> out;
  const auto& t = table(type);
  if (namespace_.empty() || !type.namespaced) {
    for (const auto& [k, v] : t) out.push_back(v.object());
    return out;
  }
  std::string prefix = std::string(namespace_) + "/";
  for (auto it = t.lower_bound(prefix); it != t.end() && it->first.starts_with(prefix); ++it)
    out.push_back(it->second.object());
  return out;
}

}  // namespace kactor::apiserver
