#include "actors/apiserver/selection.hpp"

#include <algorithm>

namespace kactor::apiserver {

api::Result<Selection> Selection::make(const api::TypeInfo& type, std::string namespace_,
                                       const std::string& label_selector,
                                       const std::string& field_selector) {
  Selection s;
  s.type_ = &type;
  s.namespace__ = type.namespaced ? std::move(namespace_) : "";
  if (!label_selector.empty()) {
    auto ls = api::labels::Selector::parse(label_selector);
    if (!ls) return api::fail(ls.error());
    s.labels_ = std::move(*ls);
  }
  if (!field_selector.empty()) {
    auto fs = api::fields::Selector::parse(field_selector);
    if (!fs) return api::fail(fs.error());
    for (const auto& r : fs->requirements()) {
      bool known = r.field == "metadata.name" || r.field == "metadata.namespace" ||
                   std::find(type.selectable_fields.begin(), type.selectable_fields.end(),
                             r.field) != type.selectable_fields.end();
      if (!known)
        return api::fail(api::bad_request("field label not supported: " + r.field));
    }
    s.fields_ = std::move(*fs);
  }
  return s;
}

bool Selection::matches(const api::Object& obj) const {
  if (!namespace__.empty() && obj.metadata.namespace_ != namespace__) return false;
  if (!labels_.empty() && !labels_.matches(obj.metadata.labels)) return false;
  if (!fields_.empty() &&
      !fields_.matches([&](std::string_view f) { return obj.type().field(obj, f); }))
    return false;
  return true;
}

}  // namespace kactor::apiserver
