#include "actors/scheduler/config/strict_json.hpp"

#include <fmt/format.h>

namespace kactor::scheduler::config {

std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index_path(const std::string& path, size_t i) {
  return fmt::format("{}[{}]", path, i);
}

api::Status field_error(const std::string& path, const std::string& message) {
  return api::bad_request(path.empty() ? message : path + ": " + message);
}

api::Status invalid(const std::string& path, const nlohmann::json& value,
                    const std::string& message) {
  return field_error(path, "Invalid value: " + value.dump() + ": " + message);
}

api::Result<void> check_object(const nlohmann::json& j, const std::string& path,
                               std::initializer_list<std::string_view> known) {
  if (j.is_null()) return {};
  if (!j.is_object()) return api::fail(invalid(path, j, "must be an object"));
  for (auto& [key, value] : j.items()) {
    bool ok = false;
    for (auto k : known) ok = ok || k == key;
    if (!ok)
      return api::fail(
          api::bad_request(fmt::format("strict decoding error: unknown field \"{}\"", child_path(path, key))));
  }
  return {};
}

namespace {

const nlohmann::json* member(const nlohmann::json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

api::Result<void> read_int(const nlohmann::json& j, std::string_view key, const std::string& path,
                           int64_t& out) {
  auto* v = member(j, key);
  if (!v) return {};
  if (!v->is_number_integer())
    return api::fail(invalid(child_path(path, key), *v, "must be an integer"));
  out = v->get<int64_t>();
  return {};
}

api::Result<void> read_int(const nlohmann::json& j, std::string_view key, const std::string& path,
                           std::optional<int64_t>& out) {
  int64_t value = 0;
  if (!member(j, key)) return {};
  if (auto r = read_int(j, key, path, value); !r) return r;
  out = value;
  return {};
}

api::Result<void> read_string(const nlohmann::json& j, std::string_view key,
                              const std::string& path, std::string& out) {
  auto* v = member(j, key);
  if (!v) return {};
  if (!v->is_string()) return api::fail(invalid(child_path(path, key), *v, "must be a string"));
  out = v->get<std::string>();
  return {};
}

api::Result<void> read_strings(const nlohmann::json& j, std::string_view key,
                               const std::string& path, std::vector<std::string>& out) {
  auto arr = read_array(j, key, path);
  if (!arr) return api::fail(arr.error());
  if (!*arr) return {};
  out.clear();
  for (size_t i = 0; i < (*arr)->size(); ++i) {
    auto& v = (**arr)[i];
    if (!v.is_string())
      return api::fail(invalid(index_path(child_path(path, key), i), v, "must be a string"));
    out.push_back(v.get<std::string>());
  }
  return {};
}

api::Result<const nlohmann::json*> read_array(const nlohmann::json& j, std::string_view key,
                                              const std::string& path) {
  auto* v = member(j, key);
  if (!v) return static_cast<const nlohmann::json*>(nullptr);
  if (!v->is_array()) return api::fail(invalid(child_path(path, key), *v, "must be a list"));
  return v;
}

}  // namespace kactor::scheduler::config
