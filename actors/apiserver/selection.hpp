// Which objects a list or watch selects: kind, namespace, label and field selectors.
#pragma once

#include <string>

#include "api/fields/selector.hpp"
#include "api/labels/selector.hpp"
#include "api/object.hpp"

namespace kactor::apiserver {

class Selection {
 public:
  /// Parses the selectors; field selectors may only name the kind's selectable fields
  /// (BadRequest "field label not supported: x" otherwise).
  static api::Result<Selection> make(const api::TypeInfo& type, std::string namespace_,
                                     const std::string& label_selector,
                                     const std::string& field_selector);

  bool matches(const api::Object& obj) const;
  const api::TypeInfo& type() const { return *type_; }
  const std::string& namespace_() const { return namespace__; }
  const api::fields::Selector& fields() const { return fields_; }

 private:
  const api::TypeInfo* type_ = nullptr;
  std::string namespace__;
  api::labels::Selector labels_;
  api::fields::Selector fields_;
};

}  // namespace kactor::apiserver
