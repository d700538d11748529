#include "actors/apiserver/object_tables.hpp"

#include <stdexcept>

#include "actors/apiserver/event_ttl.hpp"
#include "api/registry.hpp"
#include "api/types/event.hpp"

namespace kactor::apiserver {

StoredObject::StoredObject(const api::TypeInfo& type, api::ObjectPtr object,
                           std::shared_ptr<const std::string> bytes, int64_t revision)
    : type_(&type), revision_(revision) {
  if (&type == &api::Event::static_type())
    last_activity_ = event_last_activity(static_cast<const api::Event&>(*object));
  if (keeps_encoded(type) && bytes)
    encoded_ = std::move(bytes);
  else
    object_ = std::move(object);
}

api::ObjectPtr StoredObject::object() const {
  if (object_ || !encoded_) return object_;
  auto obj = type_->from_msgpack(*encoded_);
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

ObjectTables::ObjectTables() {
  for (const auto* t : api::Registry::builtin().all()) tables_[t];
}

const StoredObject* ObjectTables::get(const api::TypeInfo& type, std::string_view key) const {
  const auto& t = table(type);
  auto it = t.find(key);
  return it == t.end() ? nullptr : &it->second;
}

void ObjectTables::put(const api::TypeInfo& type, const std::string& key, api::ObjectPtr object,
                       std::shared_ptr<const std::string> bytes, int64_t revision) {
  table(type)[key] = StoredObject(type, std::move(object), std::move(bytes), revision);
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
